import { Entity } from '@backstage/catalog-model';
import { AI_COST_ANNOTATIONS, AiCostPhase } from './annotations';
import {
  Budget,
  MoneyAmount,
  ParseResult,
  UsageSelectorMatch,
  parseBudget,
  parseCostCenter,
  parseCostOwner,
  parseMoneyAmount,
  parsePhase,
  parseTaskUnit,
  parseUsageSelector,
} from './parsers';

/**
 * The AI cost settings of one entity, read from its annotations.
 *
 * @public
 */
export interface AiCostSettings {
  phase?: AiCostPhase;
  /** Entity ref of the cost owner; falls back to spec.owner. */
  costOwner?: string;
  costCenter?: string;
  budget?: Budget;
  usageSelector?: UsageSelectorMatch[];
  taskUnit?: string;
  valuePerTask?: MoneyAmount;
}

/**
 * An annotation whose value could not be read.
 *
 * @public
 */
export interface AnnotationProblem {
  annotation: string;
  value: string;
  message: string;
}

type Readers = {
  [K in keyof AiCostSettings]-?: (
    raw: string,
  ) => ParseResult<NonNullable<AiCostSettings[K]>>;
};

const READERS: Readers = {
  phase: parsePhase,
  costOwner: parseCostOwner,
  costCenter: parseCostCenter,
  budget: parseBudget,
  usageSelector: parseUsageSelector,
  taskUnit: parseTaskUnit,
  valuePerTask: parseMoneyAmount,
};

/**
 * Tells whether an entity carries any AI cost annotation.
 *
 * @public
 */
export function isAiCostEntity(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Object.values(AI_COST_ANNOTATIONS).some(key => key in annotations);
}

/**
 * Reads the AI cost annotations of an entity. Valid values land in
 * `settings`; each invalid one is listed in `problems` and left out.
 *
 * @public
 */
export function readAiCostSettings(entity: Entity): {
  settings: AiCostSettings;
  problems: AnnotationProblem[];
} {
  const annotations = entity.metadata.annotations ?? {};
  const settings: Record<string, unknown> = {};
  const problems: AnnotationProblem[] = [];

  for (const field of Object.keys(READERS) as (keyof Readers)[]) {
    const annotation = AI_COST_ANNOTATIONS[field];
    const raw = annotations[annotation];
    if (raw === undefined) {
      continue;
    }

    const result = READERS[field](raw);
    if (result.ok) {
      settings[field] = result.value;
    } else {
      problems.push({ annotation, value: raw, message: result.message });
    }
  }

  if (!settings.costOwner && typeof entity.spec?.owner === 'string') {
    const owner = parseCostOwner(entity.spec.owner);
    if (owner.ok) {
      settings.costOwner = owner.value;
    }
  }

  return { settings: settings as AiCostSettings, problems };
}
