/**
 * Backend plugin of the AI cost product.
 *
 * @packageDocumentation
 */

export { aiCostPlugin as default } from './plugin';
