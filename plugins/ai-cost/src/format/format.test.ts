import {
  formatCount,
  formatCountWithShare,
  formatDayRange,
  formatInstant,
  formatMoney,
  formatPercent,
  formatShare,
} from './format';

describe('formatMoney', () => {
  it('rounds more than two decimals half up', () => {
    expect(formatMoney('1234.567891234', 'USD')).toBe('$1,234.57');
  });

  it('rounds a half cent away from zero', () => {
    expect(formatMoney('0.005', 'USD')).toBe('$0.01');
  });

  it('keeps a large value exact', () => {
    expect(formatMoney('123456789012345.678901', 'USD')).toBe(
      '$123,456,789,012,345.68',
    );
  });

  it('carries rounding into the whole part', () => {
    expect(formatMoney('999999.999', 'USD')).toBe('$1,000,000.00');
  });

  it('formats zero with two decimals', () => {
    expect(formatMoney('0', 'USD')).toBe('$0.00');
  });

  it('pads a whole amount', () => {
    expect(formatMoney('2500', 'EUR')).toBe('€2,500.00');
  });

  it('uses the minor unit of the currency', () => {
    expect(formatMoney('1234.5', 'JPY')).toBe('¥1,235');
  });

  it('formats a negative amount', () => {
    expect(formatMoney('-12.345', 'USD')).toBe('-$12.35');
  });

  it('signs a positive amount when asked', () => {
    expect(formatMoney('0.25', 'USD', { signed: true })).toBe('+$0.25');
  });

  it('signs a negative amount once', () => {
    expect(formatMoney('-0.25', 'USD', { signed: true })).toBe('-$0.25');
  });

  it('leaves an amount rounding to zero unsigned', () => {
    expect(formatMoney('0.004', 'USD', { signed: true })).toBe('$0.00');
  });

  it('rejects a string that is not a decimal', () => {
    expect(() => formatMoney('1e3', 'USD')).toThrow(
      'Invalid decimal string "1e3"',
    );
  });
});

describe('formatShare', () => {
  it('formats a share with one decimal', () => {
    expect(formatShare('1', '3')).toBe('33.3%');
  });

  it('divides decimal strings exactly', () => {
    expect(formatShare('0.1', '0.3')).toBe('33.3%');
  });

  it('formats whole counts', () => {
    expect(formatShare(5, 20)).toBe('25.0%');
  });

  it('marks a tiny share as below 0.1%', () => {
    expect(formatShare(1, 100000)).toBe('<0.1%');
  });

  it('formats a zero share as 0.0%', () => {
    expect(formatShare('0', '10')).toBe('0.0%');
  });

  it('returns undefined for a zero whole', () => {
    expect(formatShare('0', '0')).toBeUndefined();
  });
});

describe('formatCount', () => {
  it('groups thousands', () => {
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});

describe('formatCountWithShare', () => {
  it('adds the share', () => {
    expect(formatCountWithShare(300000, 3000000)).toBe('300,000 (10.0%)');
  });

  it('omits the share of zero', () => {
    expect(formatCountWithShare(0, 0)).toBe('0');
  });
});

describe('formatInstant', () => {
  it('shows midnight as day', () => {
    expect(formatInstant('2024-05-13T00:00:00.000Z')).toBe('2024-05-13');
  });

  it('shows other times in UTC', () => {
    expect(formatInstant('2024-05-13T14:05:00.000Z')).toBe(
      '2024-05-13 14:05 UTC',
    );
  });
});

describe('formatPercent', () => {
  it('appends the percent sign', () => {
    expect(formatPercent('91.67')).toBe('91.67%');
  });

  it('shows null as a dash', () => {
    expect(formatPercent(null)).toBe('–');
  });

  it('signs a positive percentage when asked', () => {
    expect(formatPercent('9.09', { signed: true })).toBe('+9.09%');
  });

  it('keeps the sign of a negative percentage', () => {
    expect(formatPercent('-9.09', { signed: true })).toBe('-9.09%');
  });

  it('leaves zero unsigned', () => {
    expect(formatPercent('0.00', { signed: true })).toBe('0.00%');
  });
});

describe('formatDayRange', () => {
  it('names the time zone', () => {
    expect(formatDayRange('2026-01-01', '2026-01-11', 'Europe/Berlin')).toBe(
      '2026-01-01 to 2026-01-11 (days in Europe/Berlin)',
    );
  });
});
