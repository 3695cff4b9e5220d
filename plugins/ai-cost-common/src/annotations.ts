/**
 * Prefix of every catalog annotation that this product reads.
 *
 * @public
 */
export const AI_COST_ANNOTATION_PREFIX = 'ai-cost.io';

/**
 * Catalog annotation keys of an AI component.
 *
 * @public
 */
export const AI_COST_ANNOTATIONS = {
  /** Lifecycle phase: poc, pilot, production or scaling. */
  phase: `${AI_COST_ANNOTATION_PREFIX}/phase`,
  /** Entity ref accountable for the spend; defaults to spec.owner. */
  costOwner: `${AI_COST_ANNOTATION_PREFIX}/cost-owner`,
  /** Finance code that the spend is booked against. */
  costCenter: `${AI_COST_ANNOTATION_PREFIX}/cost-center`,
  /** Amount, currency and period, such as `2500 USD/month`. */
  budget: `${AI_COST_ANNOTATION_PREFIX}/budget`,
  /** Attribute matches that map usage records to the entity. */
  usageSelector: `${AI_COST_ANNOTATION_PREFIX}/usage-selector`,
  /** The business task that one unit of work stands for. */
  taskUnit: `${AI_COST_ANNOTATION_PREFIX}/task-unit`,
  /** Value of one successful task, such as `1.80 EUR`. */
  valuePerTask: `${AI_COST_ANNOTATION_PREFIX}/value-per-task`,
} as const;

/**
 * Lifecycle phases of an AI component, in the order a component moves
 * through them.
 *
 * @public
 */
export const AI_COST_PHASES = [
  'poc',
  'pilot',
  'production',
  'scaling',
] as const;

/**
 * Lifecycle phase of an AI component.
 *
 * @public
 */
export type AiCostPhase = (typeof AI_COST_PHASES)[number];

/**
 * Display label of each phase.
 *
 * @public
 */
export const AI_COST_PHASE_LABELS: Record<AiCostPhase, string> = {
  poc: 'POC',
  pilot: 'Pilot',
  production: 'Production',
  scaling: 'Scaling',
};
