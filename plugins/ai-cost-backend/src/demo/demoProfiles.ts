/** One model that a demo component calls, with its share of requests. */
export interface DemoModelMix {
  provider: string;
  model: string;
  share: number;
}

/** Traffic shape of one demo component. */
export interface DemoProfile {
  entityRef: string;
  models: DemoModelMix[];
  /** Requests on a weekday at the start of the range. */
  weekdayRequests: number;
  /** Requests on a weekend day, as a share of a weekday. */
  weekendFactor: number;
  /** Growth of daily volume over the whole range: 1.5 means +50 %. */
  growth: number;
  /** Hours of the UTC day in which requests arrive, with weights. */
  hours: 'office' | 'nightly';
  meanInputTokens: number;
  meanOutputTokens: number;
  /** Share of input tokens read from the provider's prompt cache. */
  cachedShare: number;
  /** Share of requests that finish a task successfully. */
  successRate: number;
  /** Days before today with a burst, and its factor on volume. */
  anomaly?: { daysAgo: number; factor: number };
  /**
   * Whether records leave out the entity ref. Their service name then
   * matches no usage selector, so their cost stays unallocated.
   */
  unallocated?: boolean;
}

/**
 * The demo portfolio. Each component shows one situation that platform
 * teams meet: a missed caching lever, an oversized model, batchable bulk
 * traffic, concentrated growth, negative margin, an unproven POC.
 */
export const DEMO_PROFILES: DemoProfile[] = [
  {
    // Long shared system prompt, barely cached: caching is the top lever.
    entityRef: 'component:default/support-assistant',
    models: [{ provider: 'openai', model: 'gpt-4o', share: 1 }],
    weekdayRequests: 420,
    weekendFactor: 0.3,
    growth: 1.2,
    hours: 'office',
    meanInputTokens: 5200,
    meanOutputTokens: 380,
    cachedShare: 0.08,
    successRate: 0.82,
    // A retry storm after a client release.
    anomaly: { daysAgo: 17, factor: 4.5 },
  },
  {
    // Mostly simple lookups sent to a frontier model: high overshooting.
    entityRef: 'component:default/kb-rag-search',
    models: [
      { provider: 'openai', model: 'gpt-4o', share: 0.9 },
      { provider: 'openai', model: 'gpt-4o-mini', share: 0.08 },
      // No price is configured for this model, so its requests are unpriced.
      { provider: 'cohere', model: 'command-r-plus', share: 0.02 },
    ],
    weekdayRequests: 650,
    weekendFactor: 0.25,
    growth: 1.1,
    hours: 'office',
    meanInputTokens: 3100,
    meanOutputTokens: 240,
    cachedShare: 0.35,
    successRate: 0.9,
  },
  {
    // Nightly bulk runs that could go through a batch API.
    entityRef: 'component:default/contract-summariser',
    models: [{ provider: 'anthropic', model: 'claude-sonnet-4-5', share: 1 }],
    weekdayRequests: 160,
    weekendFactor: 0.05,
    growth: 1.6,
    hours: 'nightly',
    meanInputTokens: 14000,
    meanOutputTokens: 900,
    cachedShare: 0,
    successRate: 0.94,
  },
  {
    // High, growing volume on one vendor.
    entityRef: 'component:default/code-review-bot',
    models: [
      { provider: 'anthropic', model: 'claude-sonnet-4-5', share: 0.85 },
      { provider: 'anthropic', model: 'claude-haiku-4-5', share: 0.15 },
    ],
    weekdayRequests: 300,
    weekendFactor: 0.15,
    growth: 3,
    hours: 'office',
    meanInputTokens: 9000,
    meanOutputTokens: 650,
    cachedShare: 0.45,
    successRate: 0.88,
  },
  {
    // Each email costs more than the value it brings.
    entityRef: 'component:default/sales-email-writer',
    models: [{ provider: 'openai', model: 'gpt-4.1', share: 1 }],
    weekdayRequests: 130,
    weekendFactor: 0.1,
    growth: 0.8,
    hours: 'office',
    meanInputTokens: 2600,
    meanOutputTokens: 700,
    cachedShare: 0.1,
    successRate: 0.55,
  },
  {
    // A frontier model on tiny volume while success is being proven.
    entityRef: 'component:default/hr-policy-bot',
    models: [{ provider: 'anthropic', model: 'claude-opus-4-1', share: 1 }],
    weekdayRequests: 12,
    weekendFactor: 0,
    growth: 1.4,
    hours: 'office',
    meanInputTokens: 4200,
    meanOutputTokens: 500,
    cachedShare: 0,
    successRate: 0.61,
  },
  {
    // Experiments from shared notebooks that no catalog entity owns.
    entityRef: 'component:default/ml-notebooks',
    unallocated: true,
    models: [{ provider: 'openai', model: 'gpt-4o-mini', share: 1 }],
    weekdayRequests: 60,
    weekendFactor: 0.2,
    growth: 1.1,
    hours: 'office',
    meanInputTokens: 1800,
    meanOutputTokens: 400,
    cachedShare: 0,
    successRate: 0.7,
  },
];
