export { EntityAiCostContent } from './EntityAiCostContent';
