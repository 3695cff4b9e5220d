import { toSheetDecimal } from './decimal';

describe('toSheetDecimal', () => {
  it.each([
    [2.5e-6, 6, 6, '2.5'],
    [1e-5, 6, 6, '10'],
    [0, 6, 6, '0'],
    [3, 0, 6, '3'],
    [10, -3, 12, '0.01'],
    [25, -3, 12, '0.025'],
  ])('converts %p shifted by %p', (value, shift, maxDecimals, expected) => {
    expect(toSheetDecimal(value, shift, maxDecimals)).toEqual({
      text: expected,
      rounded: false,
    });
  });

  it('removes float artefacts', () => {
    expect(toSheetDecimal(0.18000000000000002, 0, 6).text).toBe('0.18');
  });

  it('keeps twelve significant digits of a per-token price', () => {
    expect(toSheetDecimal(3.0001999999999996e-7, 6, 6).text).toBe('0.30002');
  });

  it('keeps a vendor price with many digits', () => {
    expect(toSheetDecimal(2.9999900000000002e-6, 6, 6).text).toBe('2.99999');
  });

  it('rounds a repeating fraction and reports it', () => {
    expect(toSheetDecimal(0.08333333333333334, 0, 6)).toEqual({
      text: '0.083333',
      rounded: true,
    });
  });

  it('rounds half to even below', () => {
    expect(toSheetDecimal(0.0000125, 0, 6).text).toBe('0.000012');
  });

  it('rounds half to even above', () => {
    expect(toSheetDecimal(0.0000135, 0, 6).text).toBe('0.000014');
  });

  it('rounds above half up', () => {
    expect(toSheetDecimal(0.00001251, 0, 6).text).toBe('0.000013');
  });

  it('rejects a negative number', () => {
    expect(() => toSheetDecimal(-1, 6, 6)).toThrow(RangeError);
  });

  it('rejects NaN', () => {
    expect(() => toSheetDecimal(NaN, 6, 6)).toThrow(/NaN/);
  });
});
