export { aiCostApiRef } from './AiCostApi';
export type {
  AiCostApi,
  GetEntityCostOptions,
  MonthRangeOptions,
} from './AiCostApi';
export { AiCostClient } from './AiCostClient';
