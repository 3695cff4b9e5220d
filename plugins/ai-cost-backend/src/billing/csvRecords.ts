/**
 * One record of an RFC 4180 CSV stream. Fields are null when empty or
 * when they are an unquoted `NULL` in any letter case, the two ways FOCUS
 * exports write a null.
 */
export type CsvRecord =
  | { line: number; fields: Array<string | null> }
  | { line: number; error: string };

/** Longest accepted record; a longer one usually has an unclosed quote. */
export const MAX_RECORD_LENGTH = 1024 * 1024;

const QUOTE = 34;
const COMMA = 44;
const CR = 13;
const LF = 10;

interface ScanResult {
  fields: Array<string | null>;
  /** Index after the record's line break, or the text's length at the end. */
  end: number;
  /** Line breaks inside the record and its terminating one. */
  lineBreaks: number;
  error?: string;
}

/**
 * Reads CSV records from a stream of UTF-8 chunks, with their 1-based
 * start line. Quoted fields may contain commas, `""` and line breaks,
 * records end with LF, CRLF or CR, blank lines are skipped, and a leading
 * byte order mark is dropped. A malformed record is returned as an error
 * and reading goes on at the next line break, so later records are kept.
 *
 * Only the current record is held in memory, so memory stays flat for any
 * file size. csv-parse 5 is not used here because it counts a CRLF inside
 * a quoted field as two lines, which shifts every later line number.
 */
export async function* readCsvRecords(
  input: AsyncIterable<Uint8Array | string>,
): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8');
  let pending = '';
  let line = 1;

  function* drain(final: boolean): Generator<CsvRecord> {
    let start = 0;

    while (start < pending.length) {
      const result = scanRecord(pending, start, final);
      if (!result) {
        break;
      }

      const blank =
        result.fields.length === 1 &&
        result.fields[0] === null &&
        !result.error &&
        isBlank(pending, start, result.end);
      if (result.error) {
        yield { line, error: result.error };
      } else if (!blank) {
        yield { line, fields: result.fields };
      }
      line += result.lineBreaks;
      start = result.end;
    }

    pending = pending.slice(start);
    if (pending.length > MAX_RECORD_LENGTH) {
      yield* skipOversizedRecord();
    }
  }

  // Rejects a record that grew past the limit and resumes after the line
  // on which it started.
  function* skipOversizedRecord(): Generator<CsvRecord> {
    yield {
      line,
      error: `record is longer than ${MAX_RECORD_LENGTH} characters; check for a quote that is not closed`,
    };
    const lineEnd = findLineBreak(pending, 0);
    const next = lineEnd.index < 0 ? pending.length : lineEnd.index;
    pending = pending.slice(next + lineEnd.length);
    line += 1;
  }

  for await (const chunk of input) {
    pending +=
      typeof chunk === 'string'
        ? chunk
        : decoder.decode(chunk, { stream: true });
    if (line === 1 && pending.charCodeAt(0) === 0xfeff) {
      pending = pending.slice(1);
    }
    yield* drain(false);
  }

  pending += decoder.decode();
  if (line === 1 && pending.charCodeAt(0) === 0xfeff) {
    pending = pending.slice(1);
  }
  yield* drain(true);
}

function isBlank(text: string, start: number, end: number): boolean {
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    if (code !== CR && code !== LF) {
      return false;
    }
  }
  return true;
}

function findLineBreak(
  text: string,
  from: number,
): { index: number; length: number } {
  for (let index = from; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === LF) {
      return { index, length: 1 };
    }
    if (code === CR) {
      return { index, length: text.charCodeAt(index + 1) === LF ? 2 : 1 };
    }
  }
  return { index: -1, length: 0 };
}

/**
 * Scans one record from `start`. Returns undefined when the text ends
 * inside the record and more input may follow (`final` false).
 */
function scanRecord(
  text: string,
  start: number,
  final: boolean,
): ScanResult | undefined {
  const fields: Array<string | null> = [];
  let lineBreaks = 0;
  let position = start;

  for (;;) {
    if (text.charCodeAt(position) === QUOTE) {
      // Quoted field: find the closing quote, skipping doubled quotes.
      let value = '';
      let cursor = position + 1;
      for (;;) {
        const quote = text.indexOf('"', cursor);
        if (quote < 0) {
          if (!final) {
            return undefined;
          }
          return {
            fields,
            end: text.length,
            lineBreaks: lineBreaks + countLineBreaks(text, cursor, text.length),
            error: 'quoted field is not closed before the end of the file',
          };
        }
        if (quote + 1 >= text.length && !final) {
          return undefined;
        }
        value += text.slice(cursor, quote);
        lineBreaks += countLineBreaks(text, cursor, quote);
        if (text.charCodeAt(quote + 1) === QUOTE) {
          value += '"';
          cursor = quote + 2;
          continue;
        }
        position = quote + 1;
        break;
      }
      fields.push(value === '' ? null : value);

      const next = text.charCodeAt(position);
      if (
        position < text.length &&
        next !== COMMA &&
        next !== CR &&
        next !== LF
      ) {
        return recoverAtLineEnd(
          text,
          position,
          final,
          fields,
          lineBreaks,
          `unexpected character ${JSON.stringify(
            text[position],
          )} after a closing quote; double a quote inside a quoted field`,
        );
      }
    } else {
      let cursor = position;
      while (cursor < text.length) {
        const code = text.charCodeAt(cursor);
        if (code === COMMA || code === CR || code === LF) {
          break;
        }
        if (code === QUOTE) {
          return recoverAtLineEnd(
            text,
            cursor,
            final,
            fields,
            lineBreaks,
            'quote inside an unquoted field; quote the whole field and double the quote',
          );
        }
        cursor++;
      }
      if (cursor >= text.length && !final) {
        return undefined;
      }
      const raw = text.slice(position, cursor);
      fields.push(raw === '' || raw.toUpperCase() === 'NULL' ? null : raw);
      position = cursor;
    }

    if (position >= text.length) {
      return { fields, end: text.length, lineBreaks };
    }
    const code = text.charCodeAt(position);
    if (code === COMMA) {
      position++;
      continue;
    }
    // A CR at the end of a chunk may be the first half of a CRLF.
    if (code === CR && position + 1 >= text.length && !final) {
      return undefined;
    }
    const length = code === CR && text.charCodeAt(position + 1) === LF ? 2 : 1;
    return { fields, end: position + length, lineBreaks: lineBreaks + 1 };
  }
}

function recoverAtLineEnd(
  text: string,
  from: number,
  final: boolean,
  fields: Array<string | null>,
  lineBreaks: number,
  error: string,
): ScanResult | undefined {
  const lineEnd = findLineBreak(text, from);
  if (lineEnd.index < 0) {
    return final ? { fields, end: text.length, lineBreaks, error } : undefined;
  }
  if (lineEnd.index + 1 >= text.length && !final) {
    return undefined;
  }
  return {
    fields,
    end: lineEnd.index + lineEnd.length,
    lineBreaks: lineBreaks + 1,
    error,
  };
}

function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index);
    if (code === LF) {
      count++;
    } else if (code === CR && text.charCodeAt(index + 1) !== LF) {
      count++;
    }
  }
  return count;
}
