import {
  AI_COST_ANNOTATIONS,
  AI_COST_ANNOTATION_PREFIX,
  readAiCostSettings,
} from '@ai-cost/plugin-ai-cost-common';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';

// The location type of @backstage/plugin-catalog-common, which this package
// does not depend on directly.
type LocationSpec = Parameters<typeof processingResult.inputError>[0];

/** Lower-case kinds whose AI cost annotations are checked. */
const CHECKED_KINDS = new Set(['component', 'resource', 'airesource']);

const KNOWN_ANNOTATIONS: readonly string[] = Object.values(AI_COST_ANNOTATIONS);

/**
 * Validates the `ai-cost.io/*` annotations of Component, Resource and
 * AiResource entities and emits one input error per invalid or unknown
 * annotation.
 *
 * @remarks
 *
 * In @backstage/plugin-catalog-backend 4.0, any emitted error marks the
 * processing run as failed. The catalog then keeps serving the last version
 * of the entity that processed without errors, with the errors in
 * `status.items`. An entity that has never processed without errors is not
 * served at all until its annotations are fixed.
 *
 * @public
 */
export class AiCostAnnotationProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'AiCostAnnotationProcessor';
  }

  // Runs after the catalog has validated the entity, so every annotation
  // value is a string.
  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    if (!CHECKED_KINDS.has(entity.kind.toLowerCase())) {
      return entity;
    }

    const keys = Object.keys(entity.metadata.annotations ?? {}).filter(key =>
      key.startsWith(`${AI_COST_ANNOTATION_PREFIX}/`),
    );
    if (keys.length === 0) {
      return entity;
    }

    const entityRef = stringifyEntityRef(entity);

    for (const key of keys) {
      if (!KNOWN_ANNOTATIONS.includes(key)) {
        const message = `Unknown annotation ${key} on ${entityRef}. Use one of ${KNOWN_ANNOTATIONS.join(
          ', ',
        )}`;
        emit(processingResult.inputError(location, message));
      }
    }

    const { problems } = readAiCostSettings(entity);
    for (const problem of problems) {
      const message = `Invalid annotation ${problem.annotation} on ${entityRef}: ${problem.message}`;
      emit(processingResult.inputError(location, message));
    }

    return entity;
  }
}
