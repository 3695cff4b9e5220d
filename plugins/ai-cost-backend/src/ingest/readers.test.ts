import { ReadOptions, readCsv, readJson, readJsonLines } from './readers';

const NORMALIZED: ReadOptions = { format: 'normalized', lineOffset: 0 };

const CODE_TRACE: ReadOptions = {
  format: 'azure-llm-trace',
  lineOffset: 0,
  azureTrace: {
    name: 'code',
    entityRef: 'component:default/code-completion',
    provider: 'azure',
    model: 'gpt-4o-mini',
  },
};

const HEADER =
  'timestamp,entityRef,service,provider,model,inputTokens,cachedInputTokens,outputTokens,requestId,taskId,taskOutcome';

/** Columns of the normalised format, in the order an error lists them. */
const REQUIRED_COLUMNS_HINT =
  'the required columns are timestamp,provider,model,inputTokens, and the optional ones are listed in docs/usage-import.md';

const ENTITY = 'component:default/support-assistant';

function csvLine(requestId: string, outputTokens = '300'): string {
  return `2026-11-30T14:05:00Z,${ENTITY},,openai,gpt-4o,1200,200,${outputTokens},${requestId},,`;
}

describe('readCsv', () => {
  it('reads BOM, CRLF and quoted fields', () => {
    const text = `\uFEFF${HEADER}\r\n2026-11-30 14:05:00,"${ENTITY}",,openai,"gpt-4o",1200,200,300,"req,1",,success\r\n`;

    const batch = readCsv(text, NORMALIZED);

    expect(batch.errors).toEqual([]);
    expect(batch.records).toEqual([
      {
        timestamp: Date.UTC(2026, 10, 30, 14, 5),
        entityRef: ENTITY,
        attributes: {},
        provider: 'openai',
        model: 'gpt-4o',
        inputTokens: 1200,
        cachedInputTokens: 200,
        outputTokens: 300,
        requestId: 'req,1',
        taskId: undefined,
        taskOutcome: 'success',
      },
    ]);
  });

  it('reads quoted header', () => {
    const text = `"timestamp","entityRef","provider","model","inputTokens","outputTokens"\n2026-11-30T14:05:00Z,${ENTITY},openai,gpt-4o,10,5\n`;

    const batch = readCsv(text, NORMALIZED);

    expect(batch.errors).toEqual([]);
    expect(batch.records.map(record => record.outputTokens)).toEqual([5]);
  });

  it('reads columns in any order', () => {
    const text = `model,provider,inputTokens,timestamp,service\ngpt-4o,openai,42,2026-11-30,support-assistant\n`;

    const batch = readCsv(text, NORMALIZED);

    expect(batch.errors).toEqual([]);
    expect(batch.records[0].model).toBe('gpt-4o');
    expect(batch.records[0].inputTokens).toBe(42);
    expect(batch.records[0].attributes).toEqual({
      'service.name': 'support-assistant',
    });
  });

  it('reads request flag columns', () => {
    const text = `timestamp,entityRef,provider,model,inputTokens,operation,semanticCacheHit,queryComplexity,retry,serviceTier\n2026-11-30T14:05:00Z,${ENTITY},openai,gpt-4o,10,embeddings,false,simple,true,batch\n`;

    const batch = readCsv(text, NORMALIZED);

    expect(batch.errors).toEqual([]);
    expect(batch.records[0]).toMatchObject({
      operation: 'embeddings',
      semanticCacheHit: false,
      queryComplexity: 'simple',
      retry: true,
      serviceTier: 'batch',
    });
  });

  it('rejects header without required column', () => {
    const text = `timestamp,entityRef,provider,model,outputTokens\n2026-11-30T14:05:00Z,${ENTITY},openai,gpt-4o,5\n`;

    const batch = readCsv(text, NORMALIZED);

    expect(batch.records).toEqual([]);
    expect(batch.errors).toEqual([
      {
        record: 1,
        field: 'inputTokens',
        message: `CSV header lacks column inputTokens; ${REQUIRED_COLUMNS_HINT}`,
      },
    ]);
  });

  it('rejects empty body', () => {
    const batch = readCsv('', NORMALIZED);

    expect(batch.records).toEqual([]);
    expect(batch.errors).toEqual([
      {
        record: 1,
        field: 'timestamp',
        message: `CSV header lacks column timestamp, provider, model, inputTokens; ${REQUIRED_COLUMNS_HINT}`,
      },
    ]);
  });

  describe('bad lines', () => {
    const text = [
      HEADER,
      csvLine('r2'),
      csvLine('r3', '-7'),
      `2026-11-30T14:05:00Z,"${ENTITY},,openai,gpt-4o,1200,200,300,r4,,`,
      csvLine('r5'),
      `2026-11-30T14:05:00Z,${ENTITY},openai,gpt-4o,1200`,
      `${csvLine('r7')},extra`,
      '',
      csvLine('r9'),
      `2026-11-30T14:05:00Z,${ENTITY},,openai,gpt-4o,1200,200,300,r"10,,`,
      csvLine('r11'),
    ].join('\n');

    it('keeps good lines', () => {
      const batch = readCsv(text, NORMALIZED);

      expect(batch.records.map(record => record.requestId)).toEqual([
        'r2',
        'r5',
        'r9',
        'r11',
      ]);
    });

    it('rejects negative token count', () => {
      const batch = readCsv(text, NORMALIZED);

      expect(batch.errors[0]).toEqual({
        record: 3,
        field: 'outputTokens',
        message:
          'outputTokens "-7" is not a token count; use a whole number from 0 to 100000000',
      });
    });

    it('rejects unclosed quote', () => {
      const batch = readCsv(text, NORMALIZED);

      expect(batch.errors[1]).toEqual({
        record: 4,
        message:
          'invalid CSV: Quote Not Closed: the parsing is finished with an opening quote',
      });
    });

    it('rejects too few columns', () => {
      const batch = readCsv(text, NORMALIZED);

      expect(batch.errors[2]).toEqual({
        record: 6,
        message: 'line has 5 columns, the header has 11',
      });
    });

    it('rejects too many columns', () => {
      const batch = readCsv(text, NORMALIZED);

      expect(batch.errors[3]).toEqual({
        record: 7,
        message: 'line has 12 columns, the header has 11',
      });
    });

    it('rejects quote inside field', () => {
      const batch = readCsv(text, NORMALIZED);

      expect(batch.errors[4]).toEqual({
        record: 10,
        message:
          'invalid CSV: Invalid Opening Quote: a quote is found on field 8, value is "r"',
      });
    });

    it('reports exactly these errors', () => {
      const batch = readCsv(text, NORMALIZED);

      expect(batch.errors.map(error => error.record)).toEqual([3, 4, 6, 7, 10]);
    });

    it('adds lineOffset to line numbers', () => {
      const batch = readCsv(text, { ...NORMALIZED, lineOffset: 100 });

      expect(batch.errors.map(error => error.record)).toEqual([
        103, 104, 106, 107, 110,
      ]);
    });
  });

  describe('derived request ids', () => {
    const row = `2026-11-30T14:05:00Z,${ENTITY},,openai,gpt-4o,1200,200,300,,,`;
    const text = [HEADER, row, row, row].join('\n');

    it('differ for repeated rows', () => {
      const ids = readCsv(text, NORMALIZED).records.map(r => r.requestId);

      expect(new Set(ids).size).toBe(3);
    });

    it('are equal on second read', () => {
      const first = readCsv(text, NORMALIZED).records.map(r => r.requestId);
      const second = readCsv(text, NORMALIZED).records.map(r => r.requestId);

      expect(second).toEqual(first);
    });
  });

  describe('Azure trace', () => {
    const text =
      'TIMESTAMP,ContextTokens,GeneratedTokens\n2023-11-16 18:17:03.9799600,4808,10\n2023-11-16 18:17:04.0319600,3180,8\n';

    it('maps rows to configured target', () => {
      const batch = readCsv(text, CODE_TRACE);

      expect(batch.errors).toEqual([]);
      expect(batch.records[0]).toEqual({
        timestamp: Date.UTC(2023, 10, 16, 18, 17, 3, 979),
        entityRef: 'component:default/code-completion',
        attributes: {},
        provider: 'azure',
        model: 'gpt-4o-mini',
        inputTokens: 4808,
        cachedInputTokens: 0,
        outputTokens: 10,
        requestId: 'azure-llm-trace:code:line-2',
        taskId: undefined,
        taskOutcome: undefined,
      });
    });

    it('numbers request ids by line', () => {
      const batch = readCsv(text, { ...CODE_TRACE, lineOffset: 5100 });

      expect(batch.records.map(record => record.requestId)).toEqual([
        'azure-llm-trace:code:line-5102',
        'azure-llm-trace:code:line-5103',
      ]);
    });

    it('rejects header without token column', () => {
      const batch = readCsv(
        'TIMESTAMP,ContextTokens\n2023-11-16 18:17:03.9799600,4808\n',
        CODE_TRACE,
      );

      expect(batch.records).toEqual([]);
      expect(batch.errors).toEqual([
        {
          record: 1,
          field: 'GeneratedTokens',
          message:
            'CSV header lacks column GeneratedTokens; the required columns are TIMESTAMP,ContextTokens,GeneratedTokens, and the optional ones are listed in docs/usage-import.md',
        },
      ]);
    });
  });
});

describe('readJsonLines', () => {
  const good = (requestId: string) =>
    JSON.stringify({
      timestamp: '2026-11-30T14:05:00Z',
      entityRef: ENTITY,
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 100,
      cachedInputTokens: 20,
      outputTokens: 10,
      requestId,
    });

  const text = [
    good('j1'),
    '{"timestamp": "2026-11-30T14:05:00Z", "provider": ',
    good('j3'),
    '',
    JSON.stringify({ ...JSON.parse(good('j5')), cachedInputTokens: 101 }),
    good('j6'),
  ].join('\r\n');

  it('keeps good lines', () => {
    const batch = readJsonLines(`\uFEFF${text}`, NORMALIZED);

    expect(batch.records.map(record => record.requestId)).toEqual([
      'j1',
      'j3',
      'j6',
    ]);
  });

  it('rejects broken JSON line', () => {
    const batch = readJsonLines(text, NORMALIZED);

    expect(batch.errors[0].record).toBe(2);
    expect(batch.errors[0].field).toBeUndefined();
    // The rest of the message comes from JSON.parse and varies by Node.js
    // version.
    expect(batch.errors[0].message).toMatch(/^invalid JSON: /);
  });

  it('rejects cached above input', () => {
    const batch = readJsonLines(text, NORMALIZED);

    expect(batch.errors[1]).toEqual({
      record: 5,
      field: 'cachedInputTokens',
      message:
        'cachedInputTokens = 101 exceeds inputTokens 100; inputTokens includes cachedInputTokens',
    });
  });

  it('reports exactly these errors', () => {
    const batch = readJsonLines(text, NORMALIZED);

    expect(batch.errors.length).toBe(2);
  });

  it('adds lineOffset to line numbers', () => {
    const batch = readJsonLines(text, { ...NORMALIZED, lineOffset: 40 });

    expect(batch.errors.map(error => error.record)).toEqual([42, 45]);
  });

  it('rejects null line of trace', () => {
    const batch = readJsonLines('null\n', CODE_TRACE);

    expect(batch.errors).toEqual([
      { record: 1, message: 'record is not an object' },
    ]);
  });

  it('rejects line that is not object', () => {
    const batch = readJsonLines('[1, 2]\n', NORMALIZED);

    expect(batch.errors).toEqual([
      { record: 1, message: 'record is not an object' },
    ]);
  });
});

describe('readJson', () => {
  const record = {
    timestamp: '2026-11-30T14:05:00+01:00',
    entityRef: ENTITY,
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens: 100,
    outputTokens: 10,
  };

  it('reads array of records', () => {
    const batch = readJson(
      [record, { ...record, outputTokens: 11 }],
      NORMALIZED,
    );

    expect(batch.errors).toEqual([]);
    expect(batch.records.map(r => r.outputTokens)).toEqual([10, 11]);
    expect(batch.records[0].timestamp).toBe(Date.UTC(2026, 10, 30, 13, 5));
  });

  it('reads records property', () => {
    const batch = readJson({ records: [record] }, NORMALIZED);

    expect(batch.errors).toEqual([]);
    expect(batch.records.length).toBe(1);
  });

  it('rejects record by index', () => {
    const batch = readJson(
      [record, { ...record, model: undefined }, record],
      NORMALIZED,
    );

    expect(batch.records.length).toBe(2);
    expect(batch.errors).toEqual([
      { record: 1, field: 'model', message: 'missing model' },
    ]);
  });

  it('rejects null element', () => {
    const batch = readJson([null], NORMALIZED);

    expect(batch.errors).toEqual([
      { record: 0, message: 'record is not an object' },
    ]);
  });

  it.each([
    ['object without records', { items: [] }],
    ['string', 'records'],
    ['null', null],
  ])('rejects %s body', (_case, body) => {
    const batch = readJson(body, NORMALIZED);

    expect(batch.records).toEqual([]);
    expect(batch.errors).toEqual([
      {
        record: 0,
        field: 'records',
        message:
          'body is not a JSON array of records nor an object with a "records" array',
      },
    ]);
  });
});
