/**
 * Catalog backend module that validates the AI cost annotations of entities.
 *
 * @packageDocumentation
 */

export { catalogModuleAiCost as default } from './module';
export { AiCostAnnotationProcessor } from './processor/AiCostAnnotationProcessor';
