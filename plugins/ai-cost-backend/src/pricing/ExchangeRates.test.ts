import { InputError } from '@backstage/errors';
import { ExchangeRateInput, ExchangeRates } from './ExchangeRates';

describe('ExchangeRates', () => {
  // Listed out of order, to show that the constructor sorts by date.
  const rates = new ExchangeRates('USD', [
    { currency: 'EUR', date: '2026-03-02', rate: '1.0842' },
    { currency: 'EUR', date: '2026-03-01', rate: '1.0790' },
    { currency: 'GBP', date: '2026-03-01', rate: '1.2650' },
  ]);

  it.each([
    ['2026-03-01', '1.0790'],
    ['2026-03-02', '1.0842'],
    ['2026-12-31', '1.0842'],
    ['2026-02-28', undefined],
  ])('returns EUR rate on %s', (day, expected) => {
    expect(rates.rateOn('EUR', day)).toBe(expected);
  });

  it('keeps currencies apart', () => {
    expect(rates.rateOn('GBP', '2026-03-02')).toBe('1.2650');
  });

  it('returns 1 for reporting currency', () => {
    expect(rates.rateOn('USD', '1999-01-01')).toBe('1');
  });

  it('returns nothing for unknown currency', () => {
    expect(rates.rateOn('JPY', '2026-03-02')).toBeUndefined();
  });

  describe('validation', () => {
    const valid: ExchangeRateInput = {
      currency: 'EUR',
      date: '2026-03-01',
      rate: '1.0842',
    };

    it.each([
      [
        'lower-case currency',
        { currency: 'eur' },
        'Invalid exchange rate eur on 2026-03-01: currency is not a 3-letter ISO 4217 code such as EUR',
      ],
      [
        'date without zeros',
        { date: '2026-3-1' },
        'Invalid exchange rate EUR on 2026-3-1: date is not a day such as 2026-08-20',
      ],
      [
        'zero rate',
        { rate: '0.00' },
        'Invalid exchange rate EUR on 2026-03-01: rate "0.00" is not a positive decimal with at most 10 decimals, such as "1.0842"',
      ],
      [
        'negative rate',
        { rate: '-1.08' },
        'Invalid exchange rate EUR on 2026-03-01: rate "-1.08" is not a positive decimal with at most 10 decimals, such as "1.0842"',
      ],
      [
        'rate with eleven decimals',
        { rate: '1.08420000001' },
        'Invalid exchange rate EUR on 2026-03-01: rate "1.08420000001" is not a positive decimal with at most 10 decimals, such as "1.0842"',
      ],
    ])('rejects %s', (_case, fields, message) => {
      const create = () => new ExchangeRates('USD', [{ ...valid, ...fields }]);

      expect(create).toThrow(InputError);
      expect(create).toThrow(message);
    });
  });
});
