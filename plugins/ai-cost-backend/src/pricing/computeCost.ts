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
    BigInt(usage.webSearchRequests ?? 0) * (rates.webSearch ?? 0n)
  );
}
