import {
  AI_COST_ANNOTATIONS,
  UsageSelectorMatch,
  parseUsageSelector,
} from '@ai-cost/plugin-ai-cost-common';
import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** How long the selectors read from the catalog are reused. */
const SELECTOR_CACHE_MILLIS = 30_000;

interface SelectorEntry {
  entityRef: string;
  matches: UsageSelectorMatch[];
}

/**
 * Maps usage attributes to catalog entities through their
 * `ai-cost.io/usage-selector` annotations.
 */
export class EntityResolver {
  private cache?: { loadedAt: number; entries: SelectorEntry[] };

  constructor(
    private readonly catalog: Pick<CatalogService, 'getEntities'>,
    private readonly auth: AuthService,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Returns the entity ref whose selector all of the attributes match, or
   * undefined. When several match, the one with most conditions wins, then
   * the first in entity-ref order.
   */
  async resolve(
    attributes: Record<string, string>,
  ): Promise<string | undefined> {
    const entries = await this.loadSelectors();
    let best: SelectorEntry | undefined;

    for (const entry of entries) {
      const matched = entry.matches.every(
        match => attributes[match.key] === match.value,
      );
      if (matched && (!best || entry.matches.length > best.matches.length)) {
        best = entry;
      }
    }
    return best?.entityRef;
  }

  private async loadSelectors(): Promise<SelectorEntry[]> {
    if (
      this.cache &&
      Date.now() - this.cache.loadedAt < SELECTOR_CACHE_MILLIS
    ) {
      return this.cache.entries;
    }

    const annotation = AI_COST_ANNOTATIONS.usageSelector;
    const { items } = await this.catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
        },
        fields: [
          'kind',
          'metadata.name',
          'metadata.namespace',
          'metadata.annotations',
        ],
      },
      { credentials: await this.auth.getOwnServiceCredentials() },
    );

    const entries: SelectorEntry[] = [];
    let invalid = 0;
    for (const entity of items) {
      const parsed = parseUsageSelector(
        entity.metadata.annotations![annotation],
      );
      if (parsed.ok) {
        entries.push({
          entityRef: stringifyEntityRef(entity),
          matches: parsed.value,
        });
      } else {
        invalid += 1;
      }
    }
    if (invalid > 0) {
      this.logger.warn(
        `Skipped ${invalid} entities with an invalid ${annotation} annotation`,
      );
    }

    entries.sort((a, b) => a.entityRef.localeCompare(b.entityRef));
    this.cache = { loadedAt: Date.now(), entries };
    return entries;
  }
}
