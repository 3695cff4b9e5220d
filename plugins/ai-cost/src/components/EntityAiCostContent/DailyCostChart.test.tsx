import { costResponse } from '../../__testUtils__/fixtures';
import { buildPoints } from './DailyCostChart';

describe('buildPoints', () => {
  const points = buildPoints(costResponse);

  it('has one point per day of the range', () => {
    // 2025-10-14 to 2026-01-11, both inclusive.
    expect(points).toHaveLength(90);
  });

  it('starts and ends with the range', () => {
    expect([points[0].date, points[points.length - 1].date]).toEqual([
      '2025-10-14',
      '2026-01-11',
    ]);
  });

  it('keeps the exact cost of a day with usage', () => {
    const day = points.find(point => point.date === '2026-01-05');
    expect(day?.day?.cost).toBe('1234.567891234');
  });

  it('fills a day without usage with a zero bar', () => {
    const day = points.find(point => point.date === '2026-01-04');
    expect(day).toEqual({ date: '2026-01-04', height: 0, day: undefined });
  });
});
