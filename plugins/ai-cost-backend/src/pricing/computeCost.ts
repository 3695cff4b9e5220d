import { InputError } from '@backstage/errors';
import { PriceSchedule, Rates, TokenUsage } from './types';

/**
 * Chooses the rates of a schedule for a request: the highest tier whose
 * threshold the request's input tokens exceed, else the base rates.
 * Vendors bill the whole request at the tier price.
 */
export function selectRates(schedule: PriceSchedule, inputTokens: number) {
  let rates: Rates = schedule.rates;

  for (const tier of schedule.tiers) {
    if (inputTokens > tier.aboveInputTokens) {
      rates = tier.rates;
    }
  }
  return rates;
}

/** Rates as numbers, when every rate is a safe integer. */
type NumberRates = Record<keyof Rates, number>;

const numberRatesCache = new WeakMap<Rates, NumberRates | null>();

function numberRatesOf(rates: Rates): NumberRates | null {
  let cached = numberRatesCache.get(rates);
  if (cached === undefined) {
    cached = {} as NumberRates;
    for (const [key, rate] of Object.entries(rates)) {
      if (rate !== undefined && rate > BigInt(Number.MAX_SAFE_INTEGER)) {
        cached = null;
        break;
      }
      (cached as Record<string, number>)[key] = Number(rate);
    }
    numberRatesCache.set(rates, cached);
  }
  return cached;
}

/**
 * Computes the cost of one request in pico-units of the rates' currency.
 * Each subset of the input and output totals is billed at its own rate
 * when the rates have one, else at the input or output rate.
 */
export function computeCost(rates: Rates, usage: TokenUsage): bigint {
  const cached = usage.cachedInputTokens;
  const cacheWrite = usage.cacheWriteTokens ?? 0;
  const cacheWrite1h = usage.cacheWrite1hTokens ?? 0;
  const inputAudio = usage.inputAudioTokens ?? 0;
  const inputImage = usage.inputImageTokens ?? 0;
  const reasoning = usage.reasoningTokens ?? 0;
  const outputAudio = usage.outputAudioTokens ?? 0;
  const outputImage = usage.outputImageTokens ?? 0;
  const webSearches = usage.webSearchRequests ?? 0;

  const plainInput =
    usage.inputTokens -
    cached -
    cacheWrite -
    cacheWrite1h -
    inputAudio -
    inputImage;
  const plainOutput =
    usage.outputTokens - reasoning - outputAudio - outputImage;
  if (plainInput < 0) {
    throw new InputError(
      `cachedInputTokens, cacheWriteTokens, cacheWrite1hTokens, inputAudioTokens and inputImageTokens add up to more than inputTokens ${usage.inputTokens}; they are parts of inputTokens`,
    );
  }
  if (plainOutput < 0) {
    throw new InputError(
      `reasoningTokens, outputAudioTokens and outputImageTokens add up to more than outputTokens ${usage.outputTokens}; they are parts of outputTokens`,
    );
  }

  // Fast path: integer products and sums below 2^53 are exact as numbers.
  const n = numberRatesOf(rates);
  if (n) {
    const cacheWriteRate = n.cacheWrite ?? n.input;
    const sum =
      plainInput * n.input +
      (cached && cached * (n.cachedInput ?? n.input)) +
      (cacheWrite && cacheWrite * cacheWriteRate) +
      (cacheWrite1h && cacheWrite1h * (n.cacheWrite1h ?? cacheWriteRate)) +
      (inputAudio && inputAudio * (n.inputAudio ?? n.input)) +
      (inputImage && inputImage * (n.inputImage ?? n.input)) +
      plainOutput * n.output +
      (reasoning && reasoning * (n.reasoning ?? n.output)) +
      (outputAudio && outputAudio * (n.outputAudio ?? n.output)) +
      (outputImage && outputImage * (n.outputImage ?? n.output)) +
      (n.request ?? 0) +
      (webSearches && webSearches * (n.webSearch ?? 0));
    if (sum <= Number.MAX_SAFE_INTEGER) {
      return BigInt(sum);
    }
  }

  const input = rates.input;
  const output = rates.output;
  const cacheWriteRate = rates.cacheWrite ?? input;

  return (
    BigInt(plainInput) * input +
    BigInt(cached) * (rates.cachedInput ?? input) +
    BigInt(cacheWrite) * cacheWriteRate +
    BigInt(cacheWrite1h) * (rates.cacheWrite1h ?? cacheWriteRate) +
    BigInt(inputAudio) * (rates.inputAudio ?? input) +
    BigInt(inputImage) * (rates.inputImage ?? input) +
    BigInt(plainOutput) * output +
    BigInt(reasoning) * (rates.reasoning ?? output) +
    BigInt(outputAudio) * (rates.outputAudio ?? output) +
    BigInt(outputImage) * (rates.outputImage ?? output) +
    (rates.request ?? 0n) +
    BigInt(webSearches) * (rates.webSearch ?? 0n)
  );
}
