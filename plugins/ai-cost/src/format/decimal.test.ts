import { compareDecimal, divideDecimal, roundDecimal } from './decimal';

describe('roundDecimal', () => {
  it.each([
    ['1.005', 2, '1.01'],
    ['1.0049999', 2, '1.00'],
    ['0.000001', 2, '0.00'],
    ['-0.004', 2, '0.00'],
    ['-1.005', 2, '-1.01'],
    ['7', 2, '7.00'],
    ['1234.5', 0, '1235'],
    ['99999999999999999999.995', 2, '100000000000000000000.00'],
  ])('rounds %s to %i decimals as %s', (value, digits, expected) => {
    expect(roundDecimal(value, digits)).toBe(expected);
  });
});

describe('compareDecimal', () => {
  it('orders values of different scales', () => {
    expect(compareDecimal('10.5', '9.999999')).toBe(1);
  });

  it('treats trailing zeros as equal', () => {
    expect(compareDecimal('1.50', '1.5')).toBe(0);
  });

  it('orders negative values', () => {
    expect(compareDecimal('-2', '1')).toBe(-1);
  });

  it('sorts costs without floats', () => {
    const costs = ['0.3', '0.1', '0.2', '10', '9.99'];
    expect([...costs].sort(compareDecimal)).toEqual([
      '0.1',
      '0.2',
      '0.3',
      '9.99',
      '10',
    ]);
  });
});

describe('divideDecimal', () => {
  it('rounds the quotient', () => {
    expect(divideDecimal('2', '3', 3)).toBe('0.667');
  });

  it('returns undefined for a zero divisor', () => {
    expect(divideDecimal('1', '0.000', 3)).toBeUndefined();
  });
});
