import { localDate, localDayBounds, parseTimeZone } from './localDays';

const HOUR = 3_600_000;

describe('localDayBounds', () => {
  it('spring-forward day has 23 hours', () => {
    const { dates, bounds } = localDayBounds(
      '2026-03-29',
      '2026-03-29',
      'Europe/Berlin',
    );

    expect(dates).toEqual(['2026-03-29']);
    expect(new Date(bounds[0]).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(bounds[1] - bounds[0]).toBe(23 * HOUR);
  });

  it('fall-back day has 25 hours', () => {
    const { bounds } = localDayBounds(
      '2026-10-25',
      '2026-10-25',
      'Europe/Berlin',
    );

    expect(bounds[1] - bounds[0]).toBe(25 * HOUR);
  });

  it('half-hour zone rounds up to hour', () => {
    const { bounds } = localDayBounds(
      '2026-11-03',
      '2026-11-04',
      'Asia/Kolkata',
    );

    // Local midnight is 18:30 UTC the day before; the bucket from 18:00
    // belongs to the previous day.
    expect(bounds.map(bound => new Date(bound).toISOString())).toEqual([
      '2026-11-02T19:00:00.000Z',
      '2026-11-03T19:00:00.000Z',
      '2026-11-04T19:00:00.000Z',
    ]);
  });
});

describe('localDate', () => {
  it('returns day of zone', () => {
    const instant = Date.parse('2026-11-30T23:30:00Z');

    expect(localDate(instant, 'Asia/Tokyo')).toBe('2026-12-01');
    expect(localDate(instant, 'America/New_York')).toBe('2026-11-30');
  });
});

describe('parseTimeZone', () => {
  it('treats UTC names as none', () => {
    expect(parseTimeZone('UTC')).toBeUndefined();
    expect(parseTimeZone('Etc/UTC')).toBeUndefined();
    expect(parseTimeZone(undefined)).toBeUndefined();
  });

  it('accepts legacy IANA links', () => {
    expect(parseTimeZone('Asia/Calcutta')).toBe('Asia/Calcutta');
  });
});
