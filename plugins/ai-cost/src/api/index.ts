export { aiCostApiRef } from './AiCostApi';
export type { AiCostApi, GetEntityCostOptions } from './AiCostApi';
export { AiCostClient } from './AiCostClient';
