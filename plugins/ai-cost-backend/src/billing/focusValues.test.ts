import {
  formatExactDecimal,
  parseExactDecimal,
  parseFocusTimestamp,
  toPico,
  toTokens,
  tokensPerUnit,
} from './focusValues';

function decimal(text: string) {
  const value = parseExactDecimal(text);
  if (!value) {
    throw new Error(`test value ${text} is not a decimal`);
  }
  return value;
}

describe('parseExactDecimal', () => {
  it.each([
    ['0.00000080000', '0.0000008'],
    ['-2.61370000000', '-2.6137'],
    [' 0.00 ', '0'],
    ['1.5E-7', '0.00000015'],
    ['2e3', '2000'],
    ['.5', '0.5'],
  ])('reads %p as %p', (text, expected) => {
    expect(formatExactDecimal(decimal(text))).toBe(expected);
  });

  it.each(['$10,000.00 ', '1,5', 'abc', '', '1.2.3', '--1'])(
    'rejects %p',
    text => {
      expect(parseExactDecimal(text)).toBeUndefined();
    },
  );
});

describe('toPico', () => {
  it('converts 11 decimals exactly', () => {
    expect(toPico(decimal('-0.01288992000'))).toBe(-12_889_920_000n);
  });

  it('rounds 13th decimal half away from zero', () => {
    expect(toPico(decimal('0.0000000000005'))).toBe(1n);
    expect(toPico(decimal('-0.0000000000005'))).toBe(-1n);
    expect(toPico(decimal('0.0000000000004'))).toBe(0n);
  });
});

describe('parseFocusTimestamp', () => {
  it.each([
    ['2024-09-18 22:00:00', '2024-09-18T22:00:00.000Z'],
    ['2023-01-01T00:00:00Z', '2023-01-01T00:00:00.000Z'],
    ['2024-09-18T22:00:00+02:00', '2024-09-18T20:00:00.000Z'],
    ['2024-09-18T22:00:00.25Z', '2024-09-18T22:00:00.250Z'],
    ['2024-09-18', '2024-09-18T00:00:00.000Z'],
    ['4/1/25', '2025-04-01T00:00:00.000Z'],
    ['12/31/2025', '2025-12-31T00:00:00.000Z'],
  ])('reads %p', (text, expected) => {
    expect(new Date(parseFocusTimestamp(text)!).toISOString()).toBe(expected);
  });

  it.each(['2023-02-01T30:00:00Z', '2024-04-31', '13/1/25', 'yesterday'])(
    'rejects %p',
    text => {
      expect(parseFocusTimestamp(text)).toBeUndefined();
    },
  );
});

describe('tokensPerUnit', () => {
  it.each([
    ['Tokens', 1n],
    ['Token', 1n],
    ['1K Tokens', 1_000n],
    ['1k tokens', 1_000n],
    ['1000 Tokens', 1_000n],
    ['1M Tokens', 1_000_000n],
    ['10M Tokens', 10_000_000n],
    ['1 Million Tokens', 1_000_000n],
    ['1K Input Tokens', 1_000n],
  ])('reads %p', (unit, expected) => {
    expect(tokensPerUnit(unit)).toBe(expected);
  });

  it.each(['1K', 'Units', 'Hours', 'Tokens/Hour', 'GB'])('ignores %p', unit => {
    expect(tokensPerUnit(unit)).toBeUndefined();
  });

  it('converts quantity and rounds', () => {
    expect(toTokens(decimal('1.2345'), 1_000n)).toBe(1_235n);
    expect(toTokens(decimal('0.0025'), 1_000_000n)).toBe(2_500n);
  });
});
