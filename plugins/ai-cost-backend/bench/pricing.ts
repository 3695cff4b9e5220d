/*
 * Prices a million usage records with the cost engine and compares the
 * rate with a plain loop that only multiplies and adds integers over the
 * same records, measured in the same run. Run with `yarn bench:pricing`;
 * BENCH_RECORDS sets the number of records.
 */
import { PriceBook } from '../src/pricing/PriceBook';
import { parsePriceInput, PriceInput } from '../src/pricing/priceSheet';
import { formatPico } from '../src/pricing/money';
import { PriceVersion, TokenUsage } from '../src/pricing/types';
import { describeMachine, writeBenchmarkSection } from './benchReport';

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000);
const ROUNDS = 3;

const PRICES: PriceInput[] = [
  {
    provider: 'openai',
    model: 'gpt-4o',
    effectiveFrom: '2024-08-06',
    currency: 'USD',
    input: '2.50',
    cachedInput: '1.25',
    output: '10',
  },
  {
    provider: 'openai',
    model: 'gpt-4o-mini',
    effectiveFrom: '2024-07-18',
    currency: 'USD',
    input: '0.15',
    cachedInput: '0.075',
    output: '0.60',
    batch: { input: '0.075', output: '0.30' },
  },
  {
    provider: 'openai',
    model: 'gpt-5',
    effectiveFrom: '2025-08-07',
    currency: 'USD',
    input: '1.25',
    cachedInput: '0.125',
    output: '10',
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    effectiveFrom: '2025-09-29',
    currency: 'USD',
    input: '3',
    cachedInput: '0.30',
    cacheWrite: '3.75',
    cacheWrite1h: '6',
    output: '15',
    tiers: [
      {
        aboveInputTokens: 200_000,
        input: '6',
        cachedInput: '0.60',
        cacheWrite: '7.50',
        output: '22.50',
      },
    ],
  },
  {
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    effectiveFrom: '2025-10-15',
    currency: 'USD',
    input: '1',
    cachedInput: '0.10',
    output: '5',
  },
  {
    provider: 'gemini',
    model: 'gemini-2.5-pro',
    effectiveFrom: '2025-06-17',
    currency: 'USD',
    input: '1.25',
    cachedInput: '0.31',
    output: '10',
    tiers: [
      {
        aboveInputTokens: 200_000,
        input: '2.50',
        cachedInput: '0.625',
        output: '15',
      },
    ],
  },
  {
    provider: 'azure',
    model: 'gpt-4o',
    effectiveFrom: '2024-08-06',
    currency: 'USD',
    input: '2.50',
    cachedInput: '1.25',
    output: '10',
  },
  {
    provider: 'mistral',
    model: 'mistral-large',
    effectiveFrom: '2024-11-18',
    currency: 'USD',
    input: '2',
    output: '6',
  },
];

interface BenchRecord {
  provider: string;
  model: string;
  timestamp: number;
  usage: TokenUsage;
  /** Index into PRICES, for the integer baseline. */
  priceIndex: number;
}

function buildBook(): { book: PriceBook; versions: PriceVersion[] } {
  const versions = PRICES.map((input, index) => {
    const parsed = parsePriceInput(input);
    return {
      id: index + 1,
      provider: parsed.provider,
      model: parsed.model,
      effectiveFrom: Date.parse(parsed.effectiveFrom),
      currency: parsed.currency,
      schedules: parsed.schedules,
    };
  });
  return { book: new PriceBook({ prices: versions }), versions };
}

function buildRecords(count: number): BenchRecord[] {
  let state = 42;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const start = Date.parse('2026-09-01T00:00:00Z');
  const records: BenchRecord[] = [];

  for (let i = 0; i < count; i++) {
    const priceIndex = Math.floor(random() * PRICES.length);
    const price = PRICES[priceIndex];
    const long = random() < 0.02;
    const inputTokens = long
      ? 200_000 + Math.floor(random() * 100_000)
      : 100 + Math.floor(random() * 8_000);
    const outputTokens = 10 + Math.floor(random() * 1_500);
    const cached = random() < 0.4 ? Math.floor(inputTokens * 0.6) : 0;

    records.push({
      provider: price.provider,
      model: price.model,
      timestamp: start + Math.floor(random() * 90 * 86_400_000),
      usage: {
        inputTokens,
        cachedInputTokens: cached,
        outputTokens,
        reasoningTokens: random() < 0.2 ? Math.floor(outputTokens / 2) : 0,
        serviceTier: random() < 0.1 ? 'batch' : 'standard',
      },
      priceIndex,
    });
  }
  return records;
}

/** Integer-only loop: micro-units per million tokens times tokens. */
function baseline(records: BenchRecord[], rates: number[][]): number {
  let total = 0;
  for (const record of records) {
    const [input, cached, output] = rates[record.priceIndex];
    const usage = record.usage;
    total +=
      (usage.inputTokens - usage.cachedInputTokens) * input +
      usage.cachedInputTokens * cached +
      usage.outputTokens * output;
  }
  return total;
}

function engine(records: BenchRecord[], book: PriceBook): bigint {
  let total = 0n;
  for (const record of records) {
    const result = book.price(
      record.provider,
      record.model,
      record.timestamp,
      record.usage,
    );
    if (result.priced) {
      total += result.costPico;
    }
  }
  return total;
}

function bestOf<T>(run: () => T): { millis: number; value: T } {
  let best = Infinity;
  let value!: T;
  for (let round = 0; round < ROUNDS; round++) {
    const started = process.hrtime.bigint();
    value = run();
    const millis = Number(process.hrtime.bigint() - started) / 1e6;
    best = Math.min(best, millis);
  }
  return { millis: best, value };
}

function main() {
  const { book } = buildBook();
  const records = buildRecords(RECORDS);
  const rates = PRICES.map(price =>
    [price.input, price.cachedInput ?? price.input, price.output].map(rate =>
      Math.round(Number(rate) * 1_000_000),
    ),
  );

  // Warm-up, so both loops run optimised code when measured.
  baseline(records.slice(0, 100_000), rates);
  engine(records.slice(0, 100_000), book);

  const plain = bestOf(() => baseline(records, rates));
  const priced = bestOf(() => engine(records, book));
  const enginePerSecond = Math.round(RECORDS / (priced.millis / 1000));
  const plainPerSecond = Math.round(RECORDS / (plain.millis / 1000));
  const ratio = priced.millis / plain.millis;

  const count = RECORDS.toLocaleString('en-US');
  const markdown = [
    '## Pricing (`yarn bench:pricing`)',
    '',
    `Prices ${count} generated usage records with \`PriceBook.price\`: ` +
      '8 models, 2 % above a long-context threshold, 40 % with cached ' +
      'input, 20 % with reasoning tokens and 10 % batch. A plain loop that ' +
      'only multiplies and adds integers runs over the same records as the ' +
      `baseline. Each figure is the best of ${ROUNDS} rounds in one ` +
      'process after a warm-up.',
    '',
    `Machine: ${describeMachine()}.`,
    '',
    '| loop | time | records/s |',
    '|---|---|---|',
    `| cost engine (exact, BigInt pico-units) | ${priced.millis.toFixed(
      0,
    )} ms | ${enginePerSecond.toLocaleString('en-US')} |`,
    `| integer multiply-add baseline | ${plain.millis.toFixed(
      0,
    )} ms | ${plainPerSecond.toLocaleString('en-US')} |`,
    `| ratio engine ÷ baseline | ${ratio.toFixed(1)} × | |`,
    '',
    `Total priced: $${formatPico(priced.value)}.`,
  ].join('\n');

  console.log(markdown);
  if (process.env.BENCH_WRITE !== '0') {
    writeBenchmarkSection('pricing', markdown);
  }
}

main();
