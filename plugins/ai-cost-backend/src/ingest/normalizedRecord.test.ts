import {
  FieldError,
  MAX_TOKENS_PER_REQUEST,
  parseTimestamp,
  toUsageRecord,
} from './normalizedRecord';

const TIMESTAMP_USAGE =
  'is not an ISO 8601 date-time; use a form such as 2026-11-30T14:05:00Z (no zone means UTC)';

function base(): Record<string, unknown> {
  return {
    timestamp: '2026-11-30T14:05:00Z',
    entityRef: 'component:default/support-assistant',
    provider: 'openai',
    model: 'gpt-4o',
    inputTokens: 1200,
    cachedInputTokens: 200,
    outputTokens: 300,
  };
}

/** Calls `read` and returns the FieldError it throws. */
function fieldError(read: () => unknown): FieldError {
  try {
    read();
  } catch (error) {
    if (error instanceof FieldError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a FieldError, but nothing was thrown');
}

describe('parseTimestamp', () => {
  it.each([
    ['2023-11-16 18:17:03.9799600', Date.UTC(2023, 10, 16, 18, 17, 3, 979)],
    ['2023-11-16T18:17:03.9799600', Date.UTC(2023, 10, 16, 18, 17, 3, 979)],
    ['2026-11-30T14:05:00Z', Date.UTC(2026, 10, 30, 14, 5, 0)],
    ['2026-11-30T14:05:00.5Z', Date.UTC(2026, 10, 30, 14, 5, 0, 500)],
    ['2026-11-30T14:05', Date.UTC(2026, 10, 30, 14, 5)],
    ['2026-11-30', Date.UTC(2026, 10, 30)],
    ['2026-11-30T14:05:00+02:00', Date.UTC(2026, 10, 30, 12, 5)],
    ['2026-11-30T14:05:00+0200', Date.UTC(2026, 10, 30, 12, 5)],
    ['2026-11-30 23:30:00-05:30', Date.UTC(2026, 11, 1, 5, 0)],
    [' 2024-02-29T00:00:00Z ', Date.UTC(2024, 1, 29)],
  ])('parses %j', (value, expected) => {
    expect(parseTimestamp(value)).toBe(expected);
  });

  it.each([
    ['2023-02-30T00:00:00Z'],
    ['2023-02-29'],
    ['2026-04-31 10:00:00'],
    ['2026-13-01T00:00:00Z'],
    ['2026-11-30T25:00:00Z'],
    ['30.11.2026 14:05'],
    ['1764511500000'],
    [''],
  ])('rejects %j', value => {
    const error = fieldError(() => parseTimestamp(value));

    expect(error.field).toBe('timestamp');
    expect(error.message).toBe(
      `timestamp ${JSON.stringify(value)} ${TIMESTAMP_USAGE}`,
    );
  });

  it('rejects number', () => {
    const error = fieldError(() => parseTimestamp(1764511500000));

    expect(error.message).toBe(`timestamp 1764511500000 ${TIMESTAMP_USAGE}`);
  });
});

describe('toUsageRecord', () => {
  it('reads JSON values', () => {
    const record = toUsageRecord(
      { ...base(), requestId: 'req-1', taskId: 'T-9', taskOutcome: 'success' },
      1,
    );

    expect(record).toEqual({
      timestamp: Date.UTC(2026, 10, 30, 14, 5),
      entityRef: 'component:default/support-assistant',
      attributes: {},
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 1200,
      cachedInputTokens: 200,
      outputTokens: 300,
      requestId: 'req-1',
      taskId: 'T-9',
      taskOutcome: 'success',
    });
  });

  it('reads CSV strings', () => {
    const record = toUsageRecord(
      {
        timestamp: '2026-11-30 14:05:00',
        entityRef: '',
        service: 'support-assistant',
        provider: 'openai',
        model: 'gpt-4o',
        inputTokens: '1200',
        cachedInputTokens: '',
        outputTokens: '300',
        requestId: 'req-2',
        taskId: '',
        taskOutcome: '',
      },
      1,
    );

    expect(record).toEqual({
      timestamp: Date.UTC(2026, 10, 30, 14, 5),
      entityRef: undefined,
      attributes: { 'service.name': 'support-assistant' },
      provider: 'openai',
      model: 'gpt-4o',
      inputTokens: 1200,
      cachedInputTokens: 0,
      outputTokens: 300,
      requestId: 'req-2',
      taskId: undefined,
      taskOutcome: undefined,
    });
  });

  it('completes short entity ref', () => {
    const record = toUsageRecord(
      { ...base(), entityRef: 'Support-Assistant' },
      1,
    );

    expect(record.entityRef).toBe('component:default/support-assistant');
  });

  it('keeps selector attributes', () => {
    const record = toUsageRecord(
      {
        ...base(),
        entityRef: undefined,
        attributes: { 'deployment.environment': 'prod', shard: 3 },
      },
      1,
    );

    expect(record.attributes).toEqual({
      'deployment.environment': 'prod',
      shard: '3',
    });
  });

  it('rejects cached above input', () => {
    const error = fieldError(() =>
      toUsageRecord({ ...base(), inputTokens: 100, cachedInputTokens: 101 }, 1),
    );

    expect(error.field).toBe('cachedInputTokens');
    expect(error.message).toBe(
      'cachedInputTokens = 101 exceeds inputTokens 100; inputTokens includes cachedInputTokens',
    );
  });

  it('rejects input parts above input', () => {
    const error = fieldError(() =>
      toUsageRecord(
        {
          ...base(),
          inputTokens: 1000,
          cachedInputTokens: 600,
          cacheWriteTokens: 500,
        },
        1,
      ),
    );

    expect(error.field).toBe('cachedInputTokens');
    expect(error.message).toBe(
      'cachedInputTokens + cacheWriteTokens = 1100 exceeds inputTokens 1000; inputTokens includes cachedInputTokens, cacheWriteTokens',
    );
  });

  it('rejects reasoning above output', () => {
    const error = fieldError(() =>
      toUsageRecord({ ...base(), reasoningTokens: 301 }, 1),
    );

    expect(error.field).toBe('reasoningTokens');
    expect(error.message).toBe(
      'reasoningTokens = 301 exceeds outputTokens 300; outputTokens includes reasoningTokens',
    );
  });

  it('reads token parts and charges', () => {
    const record = toUsageRecord(
      {
        ...base(),
        inputTokens: '10000',
        cachedInputTokens: '1000',
        cacheWriteTokens: '2000',
        cacheWrite1hTokens: '3000',
        inputAudioTokens: '400',
        inputImageTokens: '500',
        outputTokens: '900',
        reasoningTokens: '600',
        outputAudioTokens: '70',
        outputImageTokens: '80',
        webSearchRequests: '2',
        serviceTier: 'batch',
      },
      1,
    );

    expect(record).toMatchObject({
      inputTokens: 10_000,
      cachedInputTokens: 1_000,
      cacheWriteTokens: 2_000,
      cacheWrite1hTokens: 3_000,
      inputAudioTokens: 400,
      inputImageTokens: 500,
      outputTokens: 900,
      reasoningTokens: 600,
      outputAudioTokens: 70,
      outputImageTokens: 80,
      webSearchRequests: 2,
      serviceTier: 'batch',
    });
  });

  it('leaves out zero parts', () => {
    const record = toUsageRecord(
      {
        ...base(),
        cacheWriteTokens: 0,
        reasoningTokens: '',
        webSearchRequests: 0,
      },
      1,
    );

    expect(record.cacheWriteTokens).toBeUndefined();
    expect(record.reasoningTokens).toBeUndefined();
    expect(record.webSearchRequests).toBeUndefined();
  });

  it('rejects fractional web searches', () => {
    const error = fieldError(() =>
      toUsageRecord({ ...base(), webSearchRequests: 1.5 }, 1),
    );

    expect(error.field).toBe('webSearchRequests');
    expect(error.message).toBe(
      'webSearchRequests 1.5 is not a count of web searches; use a whole number from 0 to 100000000',
    );
  });

  it('rejects unknown service tier', () => {
    const error = fieldError(() =>
      toUsageRecord({ ...base(), serviceTier: 'express' }, 1),
    );

    expect(error.field).toBe('serviceTier');
    expect(error.message).toBe(
      'serviceTier "express" is not valid; use standard, batch, flex or priority',
    );
  });

  describe('provider cost', () => {
    it('reads number as decimal text', () => {
      const record = toUsageRecord({ ...base(), providerCost: 0.0125 }, 1);

      expect(record.providerCost).toBe('0.0125');
    });

    it('defaults currency to USD', () => {
      const record = toUsageRecord({ ...base(), providerCost: '0.0125' }, 1);

      expect(record.providerCostCurrency).toBe('USD');
    });

    it('keeps given currency', () => {
      const record = toUsageRecord(
        { ...base(), providerCost: '0.0125', providerCostCurrency: 'EUR' },
        1,
      );

      expect(record.providerCostCurrency).toBe('EUR');
    });

    it('rejects negative amount', () => {
      const error = fieldError(() =>
        toUsageRecord({ ...base(), providerCost: '-0.01' }, 1),
      );

      expect(error.field).toBe('providerCost');
      expect(error.message).toBe(
        'providerCost "-0.01" is not an amount; use a non-negative decimal with at most 12 decimals, such as "0.0125"',
      );
    });

    it('rejects lower-case currency', () => {
      const error = fieldError(() =>
        toUsageRecord(
          { ...base(), providerCost: '0.01', providerCostCurrency: 'usd' },
          1,
        ),
      );

      expect(error.field).toBe('providerCostCurrency');
      expect(error.message).toBe(
        'providerCostCurrency "usd" is not a 3-letter ISO 4217 code such as USD',
      );
    });
  });

  describe('without reported usage', () => {
    function withoutUsage(fields: Record<string, unknown> = {}) {
      const input: Record<string, unknown> = { ...base(), ...fields };
      delete input.inputTokens;
      delete input.cachedInputTokens;
      delete input.outputTokens;
      return input;
    }

    it('keeps record marked unreported', () => {
      const record = toUsageRecord(withoutUsage(), 1);

      expect(record.usageReported).toBe(false);
    });

    it('has zero token counts', () => {
      const record = toUsageRecord(withoutUsage(), 1);

      expect([record.inputTokens, record.outputTokens]).toEqual([0, 0]);
    });

    it('reads blank CSV counts alike', () => {
      const record = toUsageRecord(
        withoutUsage({ inputTokens: '', outputTokens: '' }),
        1,
      );

      expect(record.usageReported).toBe(false);
    });

    it('leaves reported usage unmarked', () => {
      const record = toUsageRecord(base(), 1);

      expect(record.usageReported).toBeUndefined();
    });

    it('leaves zero usage unmarked', () => {
      const record = toUsageRecord(
        { ...base(), inputTokens: 0, cachedInputTokens: 0, outputTokens: 0 },
        1,
      );

      expect(record.usageReported).toBeUndefined();
    });
  });

  it('accepts cached equal to input', () => {
    const record = toUsageRecord(
      { ...base(), inputTokens: 100, cachedInputTokens: 100 },
      1,
    );

    expect(record.cachedInputTokens).toBe(100);
  });

  it.each([
    ['timestamp', 'missing timestamp'],
    ['provider', 'missing provider'],
    ['model', 'missing model'],
    ['inputTokens', 'missing inputTokens'],
  ])('rejects missing %s', (field, message) => {
    const input = base();
    delete input[field];

    const error = fieldError(() => toUsageRecord(input, 1));

    expect(error.field).toBe(field);
    expect(error.message).toBe(message);
  });

  it('rejects record without entity', () => {
    const error = fieldError(() =>
      toUsageRecord({ ...base(), entityRef: '' }, 1),
    );

    expect(error.field).toBe('entityRef');
    expect(error.message).toBe(
      'missing entityRef; give entityRef, or service (or attributes) matched by an ai-cost.io/usage-selector annotation',
    );
  });

  it('rejects invalid entity ref', () => {
    const error = fieldError(() =>
      toUsageRecord({ ...base(), entityRef: 'component:default/' }, 1),
    );

    expect(error.field).toBe('entityRef');
    expect(error.message).toBe(
      'entityRef "component:default/" is not an entity ref; use a form such as component:default/support-assistant',
    );
  });

  it.each([
    ['negative', -1, '-1'],
    ['negative string', '-5', '"-5"'],
    ['fraction', 1.5, '1.5'],
    ['text', 'many', '"many"'],
    ['above maximum', MAX_TOKENS_PER_REQUEST + 1, '100000001'],
  ])('rejects %s token count', (_case, value, shown) => {
    const error = fieldError(() =>
      toUsageRecord({ ...base(), outputTokens: value }, 1),
    );

    expect(error.field).toBe('outputTokens');
    expect(error.message).toBe(
      `outputTokens ${shown} is not a token count; use a whole number from 0 to 100000000`,
    );
  });

  it('rejects blank provider', () => {
    const error = fieldError(() =>
      toUsageRecord({ ...base(), provider: '   ' }, 1),
    );

    expect(error.field).toBe('provider');
    expect(error.message).toBe(
      'provider "   " is not a name of 1 to 255 characters',
    );
  });

  it('rejects long model name', () => {
    const model = 'm'.repeat(256);

    const error = fieldError(() => toUsageRecord({ ...base(), model }, 1));

    expect(error.field).toBe('model');
    expect(error.message).toBe(
      `model "${model}" is not a name of 1 to 255 characters`,
    );
  });

  it('rejects unknown task outcome', () => {
    const error = fieldError(() =>
      toUsageRecord({ ...base(), taskOutcome: 'done' }, 1),
    );

    expect(error.field).toBe('taskOutcome');
    expect(error.message).toBe(
      'taskOutcome "done" is not valid; use success or failure',
    );
  });

  it('rejects non-string attribute', () => {
    const error = fieldError(() =>
      toUsageRecord(
        { ...base(), attributes: { team: { name: 'support' } } },
        1,
      ),
    );

    expect(error.field).toBe('attributes.team');
    expect(error.message).toBe('attributes.team is not a string or number');
  });

  describe('derived request id', () => {
    it('is equal for same content', () => {
      const first = toUsageRecord(base(), 1);
      const second = toUsageRecord(base(), 1);

      expect(first.requestId).toBe(second.requestId);
    });

    it('has hash and position form', () => {
      const record = toUsageRecord(base(), 7);

      expect(record.requestId).toMatch(/^sha256:[0-9a-f]{32}@7$/);
    });

    it('differs for repeated rows', () => {
      const first = toUsageRecord(base(), 2);
      const second = toUsageRecord(base(), 3);

      expect(second.requestId).toBe(first.requestId.replace(/@2$/, '@3'));
    });

    it('differs for other content', () => {
      const first = toUsageRecord(base(), 2);
      const second = toUsageRecord({ ...base(), outputTokens: 301 }, 2);

      expect(first.requestId).not.toBe(second.requestId);
    });

    it('is not used with given id', () => {
      const record = toUsageRecord({ ...base(), requestId: 'chatcmpl-123' }, 1);

      expect(record.requestId).toBe('chatcmpl-123');
    });
  });

  describe('strict fields', () => {
    it.each(['0x10', '1e3', '  ', '1.0'])('rejects token count %p', value => {
      const error = fieldError(() =>
        toUsageRecord({ ...base(), inputTokens: value }, 1),
      );

      expect(error.field).toBe('inputTokens');
    });

    it('rejects unknown field', () => {
      const error = fieldError(() =>
        toUsageRecord({ ...base(), cachedInputTokenz: 5 }, 1),
      );

      expect(error.field).toBe('cachedInputTokenz');
    });

    it('rejects object entity ref', () => {
      const error = fieldError(() =>
        toUsageRecord({ ...base(), entityRef: { kind: 'component' } }, 1),
      );

      expect(error.field).toBe('entityRef');
    });
  });
});

describe('request flags', () => {
  it('reads JSON values', () => {
    const record = toUsageRecord(
      {
        ...base(),
        operation: 'chat',
        semanticCacheHit: true,
        queryComplexity: 'moderate',
        retry: false,
      },
      1,
    );

    expect(record.operation).toBe('chat');
    expect(record.semanticCacheHit).toBe(true);
    expect(record.queryComplexity).toBe('moderate');
    expect(record.retry).toBe(false);
  });

  it('reads CSV text in any case', () => {
    const record = toUsageRecord(
      { ...base(), semanticCacheHit: 'FALSE', retry: ' True ' },
      1,
    );

    expect(record.semanticCacheHit).toBe(false);
    expect(record.retry).toBe(true);
  });

  it('leaves blank flags out', () => {
    const record = toUsageRecord(
      {
        ...base(),
        operation: '',
        semanticCacheHit: '',
        queryComplexity: '',
        retry: null,
      },
      1,
    );

    expect('operation' in record).toBe(false);
    expect('semanticCacheHit' in record).toBe(false);
    expect('queryComplexity' in record).toBe(false);
    expect('retry' in record).toBe(false);
  });

  it.each([
    [
      'operation',
      'Chat Completion',
      'operation "Chat Completion" is not an operation name; use lower-case letters, digits, "_", "." or "-", such as chat, embeddings or text_completion',
    ],
    [
      'semanticCacheHit',
      'yes',
      'semanticCacheHit "yes" is not a boolean; use true or false',
    ],
    ['retry', 1, 'retry 1 is not a boolean; use true or false'],
    [
      'queryComplexity',
      'hard',
      'queryComplexity "hard" is not valid; use simple, moderate, complex',
    ],
  ])('rejects %s %j', (field, value, message) => {
    const error = fieldError(() =>
      toUsageRecord({ ...base(), [field]: value }, 1),
    );

    expect(error.field).toBe(field);
    expect(error.message).toBe(message);
  });

  it('keeps batch service tier', () => {
    const record = toUsageRecord({ ...base(), serviceTier: 'batch' }, 1);

    expect(record.serviceTier).toBe('batch');
  });
});
