import { InputError } from '@backstage/errors';
import {
  formatPico,
  formatPricePerMillion,
  multiplyPico,
  parseDecimalToPico,
  parsePricePerMillion,
  parseUnitPrice,
  percentOf,
} from './money';

const USAGE =
  'use a non-negative decimal per million tokens with at most 6 decimals, such as "2.50"';

describe('parsePricePerMillion', () => {
  // One unit per million tokens is 10^12 pico-units over 10^6 tokens, which
  // is 10^6 pico-units per token, so the decimal point moves six places.
  it.each([
    ['2.50', 2_500_000n],
    ['0.15', 150_000n],
    ['10', 10_000_000n],
    ['0', 0n],
    ['0.000001', 1n],
    [' 30 ', 30_000_000n],
    ['999999999999.999999', 999_999_999_999_999_999n],
    [2.5, 2_500_000n],
    [0.165, 165_000n],
    [0.000001, 1n],
    [15, 15_000_000n],
  ])('parses %j', (value, expected) => {
    expect(parsePricePerMillion(value, 'input')).toBe(expected);
  });

  it.each([
    ['negative number', -1000000, '-1000000'],
    ['negative string', '-1000000', '"-1000000"'],
    ['NaN', NaN, 'NaN'],
    ['Infinity', Infinity, 'Infinity'],
    ['minus Infinity', -Infinity, '-Infinity'],
    ['text', 'abc', '"abc"'],
    ['seven decimals', '2.5000001', '"2.5000001"'],
    ['number with eight decimals', 2.50000001, '2.50000001'],
    ['number below one millionth', 1e-7, '1e-7'],
    ['exponent string', '1e3', '"1e3"'],
    ['empty string', '', '""'],
    ['leading zero', '01.5', '"01.5"'],
    ['thirteen whole digits', '1000000000000', '"1000000000000"'],
    ['null', null, 'null'],
  ])('rejects %s', (_case, value, shown) => {
    const parse = () => parsePricePerMillion(value, 'output of openai/gpt-4o');

    expect(parse).toThrow(InputError);
    expect(parse).toThrow(
      `Invalid price output of openai/gpt-4o: ${shown}; ${USAGE}`,
    );
  });
});

describe('formatPico', () => {
  it.each([
    [20_000_000_000n, '0.02'],
    [0n, '0'],
    [1n, '0.000000000001'],
    [1_605_000_000n, '0.001605'],
    [175_000_000_000n, '0.175'],
    [13_000_000_000_000n, '13'],
    [12_500_000_000_000n, '12.5'],
    [-1_500_000_000_000n, '-1.5'],
    [-1n, '-0.000000000001'],
    // 2^64 pico-units: the digits of 18446744073709551616 split 12 places
    // from the right, beyond what a double represents exactly.
    [2n ** 64n, '18446744.073709551616'],
  ])('formats %s', (pico, expected) => {
    expect(formatPico(pico)).toBe(expected);
  });
});

describe('formatPricePerMillion', () => {
  it.each([
    [2_500_000n, '2.5'],
    [150_000n, '0.15'],
    [1n, '0.000001'],
    [0n, '0'],
    [37_500_000n, '37.5'],
  ])('formats %s per token', (picoPerToken, expected) => {
    expect(formatPricePerMillion(picoPerToken)).toBe(expected);
  });
});

describe('parseUnitPrice', () => {
  // One unit is 10^12 pico-units.
  it.each([
    ['0.01', 10_000_000_000n],
    ['0.000000000001', 1n],
    ['1', 1_000_000_000_000n],
    [0.035, 35_000_000_000n],
  ])('parses %j', (value, expected) => {
    expect(parseUnitPrice(value, 'request')).toBe(expected);
  });

  it.each([
    ['negative', '-0.01', '"-0.01"'],
    ['thirteen decimals', '0.0000000000001', '"0.0000000000001"'],
    ['text', 'free', '"free"'],
  ])('rejects %s', (_case, value, shown) => {
    expect(() =>
      parseUnitPrice(value, 'openai/gpt-4o standard webSearch'),
    ).toThrow(
      `Invalid price openai/gpt-4o standard webSearch: ${shown}; use a non-negative decimal per unit with at most 12 decimals, such as "0.01"`,
    );
  });
});

describe('parseDecimalToPico', () => {
  it.each([
    ['0.0125', 12_500_000_000n],
    ['13', 13_000_000_000_000n],
    ['-1.5', -1_500_000_000_000n],
    ['0.000000000001', 1n],
  ])('parses %s', (text, expected) => {
    expect(parseDecimalToPico(text)).toBe(expected);
  });
});

describe('multiplyPico', () => {
  it.each([
    [1_000_000n, '0.9210', 921_000n],
    [5n, '2', 10n],
    // 10 × 0.15 = 1.5 and 10 × 0.25 = 2.5 round away from zero.
    [10n, '0.15', 2n],
    [10n, '0.25', 3n],
    [-10n, '0.15', -2n],
    [10n, '0.14', 1n],
  ])('multiplies %s by %s', (pico, factor, expected) => {
    expect(multiplyPico(pico, factor)).toBe(expected);
  });
});

describe('percentOf', () => {
  it.each([
    ['15', 3_500_000n, 525_000n],
    ['12.5', 1_000n, 125n],
    ['100', 1_000n, 1_000n],
    ['0.5', 1_000n, 5n],
    ['0', 1_000n, 0n],
    // Half a pico-unit rounds up.
    ['50', 1n, 1n],
  ])('takes %s percent of %s', (percent, pico, expected) => {
    expect(percentOf(pico, percent)).toBe(expected);
  });
});
