import { CsvRecord, readCsvRecords } from './csvRecords';

async function readAll(chunks: Array<string | Uint8Array>) {
  async function* input() {
    yield* chunks;
  }
  const records: CsvRecord[] = [];
  for await (const record of readCsvRecords(input())) {
    records.push(record);
  }
  return records;
}

/** Splits text into chunks of `size` characters. */
function split(text: string, size: number): string[] {
  const chunks = [];
  for (let start = 0; start < text.length; start += size) {
    chunks.push(text.slice(start, start + size));
  }
  return chunks;
}

const TRICKY =
  '\uFEFFa,b,c\r\n' +
  '1,"x, ""quoted""\r\nsecond line",NULL\r\n' +
  '\r\n' +
  '2,,"{""k"": ""v""}"\r\n' +
  '3,null,"NULL"';

const TRICKY_RECORDS: CsvRecord[] = [
  { line: 1, fields: ['a', 'b', 'c'] },
  { line: 2, fields: ['1', 'x, "quoted"\r\nsecond line', null] },
  { line: 5, fields: ['2', null, '{"k": "v"}'] },
  { line: 6, fields: ['3', null, 'NULL'] },
];

describe('readCsvRecords', () => {
  it('reads quotes, CRLF, BOM and nulls', async () => {
    expect(await readAll([TRICKY])).toEqual(TRICKY_RECORDS);
  });

  it.each([1, 2, 3, 7])('reads %p-character chunks alike', async size => {
    expect(await readAll(split(TRICKY, size))).toEqual(TRICKY_RECORDS);
  });

  it('decodes UTF-8 split across chunks', async () => {
    const bytes = new TextEncoder().encode('name\n"Zürich €"\n');
    const chunks = [...bytes].map(byte => Uint8Array.of(byte));

    expect(await readAll(chunks)).toEqual([
      { line: 1, fields: ['name'] },
      { line: 2, fields: ['Zürich €'] },
    ]);
  });

  it('reads LF and CR line ends', async () => {
    expect(await readAll(['a\nb\rc\n'])).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: ['b'] },
      { line: 3, fields: ['c'] },
    ]);
  });

  it('rejects stray quote, keeps next line', async () => {
    const records = await readAll(['h\n"a"b\nc\nd"e\nf\n']);

    expect(records).toEqual([
      { line: 1, fields: ['h'] },
      { line: 2, error: expect.stringContaining('after a closing quote') },
      { line: 3, fields: ['c'] },
      { line: 4, error: expect.stringContaining('quote inside an unquoted') },
      { line: 5, fields: ['f'] },
    ]);
  });

  it('rejects unclosed quote at the end', async () => {
    const records = await readAll(['h\nok\n"open\nrest\n']);

    expect(records).toEqual([
      { line: 1, fields: ['h'] },
      { line: 2, fields: ['ok'] },
      { line: 3, error: expect.stringContaining('not closed') },
    ]);
  });
});
