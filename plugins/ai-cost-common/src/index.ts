/**
 * Shared types, annotation keys, parsers and permissions of the AI cost
 * plugins.
 *
 * @packageDocumentation
 */

export * from './annotations';
export * from './parsers';
export * from './entity';
export * from './permissions';
export * from './api';
export * from './pricingApi';
