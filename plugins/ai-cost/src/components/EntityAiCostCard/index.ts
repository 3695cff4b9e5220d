export { EntityAiCostCard } from './EntityAiCostCard';
