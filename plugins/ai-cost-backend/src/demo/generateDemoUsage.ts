import { UsageRecord } from '../ingest/types';
import { DEMO_PROFILES, DemoProfile } from './demoProfiles';

const MILLIS_PER_DAY = 86_400_000;
const MILLIS_PER_HOUR = 3_600_000;

/** Relative request weight of each UTC hour for interactive traffic. */
const OFFICE_HOURS = [
  1, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 13, 10, 12, 14, 13, 11, 8, 5, 4, 3, 2, 1,
  1,
];
/** Relative request weight of each UTC hour for nightly bulk jobs. */
const NIGHTLY_HOURS = [
  10, 14, 14, 12, 8, 3, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 6,
];

/**
 * Generates deterministic demo usage for the demo portfolio: one record per
 * request over the `days` up to `now`, with weekday and hourly rhythm,
 * growth and one anomaly. Requests of today after `now` are left out.
 * Request ids start with `demo:`, so a second run stores nothing new.
 */
export function* generateDemoUsage(options: {
  now: Date;
  days: number;
  profiles?: DemoProfile[];
}): Generator<UsageRecord> {
  const nowMillis = options.now.getTime();
  const end = Date.parse(`${options.now.toISOString().slice(0, 10)}T00:00:00Z`);

  for (const profile of options.profiles ?? DEMO_PROFILES) {
    const random = mulberry32(hashString(profile.entityRef));

    for (let day = options.days - 1; day >= 0; day--) {
      const dayStart = end - day * MILLIS_PER_DAY;
      const progress = (options.days - 1 - day) / Math.max(options.days - 1, 1);
      const count = dailyRequests(
        profile,
        new Date(dayStart),
        progress,
        day,
        random,
      );
      const date = new Date(dayStart).toISOString().slice(0, 10);

      for (let i = 0; i < count; i++) {
        const record = demoRequest(profile, dayStart, date, i, random);
        if (record.timestamp <= nowMillis) {
          yield record;
        }
      }
    }
  }
}

function dailyRequests(
  profile: DemoProfile,
  date: Date,
  progress: number,
  daysAgo: number,
  random: () => number,
): number {
  const weekday = date.getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  let volume = profile.weekdayRequests * (1 + (profile.growth - 1) * progress);

  if (weekend) {
    volume *= profile.weekendFactor;
  }
  if (profile.anomaly?.daysAgo === daysAgo) {
    volume *= profile.anomaly.factor;
  }
  return Math.round(volume * (0.85 + 0.3 * random()));
}

function demoRequest(
  profile: DemoProfile,
  dayStart: number,
  date: string,
  index: number,
  random: () => number,
): UsageRecord {
  const hour = pickWeighted(
    profile.hours === 'office' ? OFFICE_HOURS : NIGHTLY_HOURS,
    random,
  );
  const timestamp =
    dayStart + hour * MILLIS_PER_HOUR + Math.floor(random() * MILLIS_PER_HOUR);
  const mix = pickWeighted(
    profile.models.map(model => model.share),
    random,
  );
  const { provider, model } = profile.models[mix];
  const inputTokens = logNormalTokens(profile.meanInputTokens, random);
  const cached = random() < profile.cachedShare * 2 ? 0.5 : 0;
  const name = profile.entityRef.split('/')[1];

  return {
    timestamp,
    entityRef: profile.unallocated ? undefined : profile.entityRef,
    attributes: { 'service.name': name },
    provider,
    model,
    inputTokens,
    cachedInputTokens: Math.floor(inputTokens * cached),
    outputTokens: logNormalTokens(profile.meanOutputTokens, random),
    requestId: `demo:${name}:${date}:${index}`,
    taskId: `demo:${name}:${date}:task-${Math.floor(index / 2)}`,
    taskOutcome: random() < profile.successRate ? 'success' : 'failure',
  };
}

/** Token count around a mean with the right skew of real prompt sizes. */
function logNormalTokens(mean: number, random: () => number): number {
  const sigma = 0.6;
  const normal =
    Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const mu = Math.log(mean) - (sigma * sigma) / 2;
  return Math.max(1, Math.round(Math.exp(mu + sigma * normal)));
}

function pickWeighted(weights: number[], random: () => number): number {
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  let point = random() * total;
  for (let i = 0; i < weights.length; i++) {
    point -= weights[i];
    if (point < 0) {
      return i;
    }
  }
  return weights.length - 1;
}

/** Small seeded PRNG, so demo data is the same on every start. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hashString(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  }
  return hash >>> 0;
}
