import { InputError } from '@backstage/errors';

const MILLIS_PER_HOUR = 3_600_000;
const MILLIS_PER_DAY = 86_400_000;

/** IANA names of UTC itself. */
const UTC_NAMES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Zulu']);

/**
 * Checks an IANA time zone name and returns it, or undefined for UTC, in
 * which case days are the stored UTC days.
 *
 * @throws InputError naming the zone when the runtime does not know it.
 */
export function parseTimeZone(
  timeZone: string | undefined,
): string | undefined {
  if (timeZone === undefined || timeZone === '' || UTC_NAMES.has(timeZone)) {
    return undefined;
  }
  try {
    Intl.DateTimeFormat('en-US', { timeZone }).format(0);
  } catch {
    throw new InputError(
      `Invalid time zone ${JSON.stringify(
        timeZone,
      )}; use an IANA name such as Europe/Berlin or America/New_York`,
    );
  }
  return timeZone;
}

/** Returns the local calendar day of an instant in a zone, `YYYY-MM-DD`. */
export function localDate(instant: number, timeZone: string): string {
  // The en-CA locale formats dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(instant));
}

/**
 * Start of each local day of an inclusive range, as epoch milliseconds
 * rounded up to the next whole UTC hour, with one more entry for the end of
 * the last day. Hourly rollup buckets whose start lies in
 * `[bounds[i], bounds[i + 1])` make up day `i`.
 *
 * For zones with whole-hour offsets the rounding changes nothing and the
 * days are exact. For zones with offsets of 30 or 45 minutes, such as
 * Asia/Kolkata, the UTC hour that contains local midnight counts in the
 * local day on which it starts.
 */
export function localDayBounds(
  fromDate: string,
  toDate: string,
  timeZone: string,
): { dates: string[]; bounds: number[] } {
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const dates: string[] = [];
  const bounds: number[] = [];

  const last = Date.parse(`${toDate}T00:00:00Z`) + MILLIS_PER_DAY;
  for (let day = Date.parse(`${fromDate}T00:00:00Z`); ; day += MILLIS_PER_DAY) {
    bounds.push(ceilToHour(localMidnight(day, formatter)));
    if (day >= last) {
      break;
    }
    dates.push(new Date(day).toISOString().slice(0, 10));
  }
  return { dates, bounds };
}

/**
 * Returns the instant at which the local day, given as UTC midnight of the
 * same calendar date, starts in the formatter's zone. Where a transition
 * skips midnight, this is the first local instant of that day.
 */
function localMidnight(calendarDay: number, formatter: Intl.DateTimeFormat) {
  let guess = calendarDay - offsetAt(calendarDay, formatter);
  const offset = offsetAt(guess, formatter);
  if (calendarDay - offset !== guess) {
    guess = calendarDay - offset;
  }
  return guess;
}

/** Offset of the zone from UTC at an instant, in milliseconds. */
function offsetAt(instant: number, formatter: Intl.DateTimeFormat): number {
  const fields: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) {
    if (part.type !== 'literal') {
      fields[part.type] = Number(part.value);
    }
  }
  const wallClock = Date.UTC(
    fields.year,
    fields.month - 1,
    fields.day,
    fields.hour,
    fields.minute,
    fields.second,
  );
  return wallClock - (instant - (((instant % 1000) + 1000) % 1000));
}

function ceilToHour(instant: number): number {
  return Math.ceil(instant / MILLIS_PER_HOUR) * MILLIS_PER_HOUR;
}
