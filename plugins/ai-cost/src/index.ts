/**
 * Entity tab and card that show the AI (LLM) cost of catalog entities.
 *
 * @packageDocumentation
 */

export {
  aiCostPlugin,
  EntityAiCostCard,
  EntityAiCostContent,
  isAiCostAvailable,
} from './plugin';
export { AiCostClient, aiCostApiRef } from './api';
export type { AiCostApi, GetEntityCostOptions, MonthRangeOptions } from './api';
