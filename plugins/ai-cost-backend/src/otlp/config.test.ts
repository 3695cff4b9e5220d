import { ConfigReader } from '@backstage/config';
import { readOtlpConfig } from './config';

describe('readOtlpConfig', () => {
  it('applies defaults', () => {
    expect(readOtlpConfig(new ConfigReader({}))).toEqual({
      maxBodyBytes: 16_777_216,
      retryAfterSeconds: 5,
    });
  });

  it('reads both settings', () => {
    const config = new ConfigReader({
      aiCost: { otlp: { maxBodyBytes: 4096, retryAfterSeconds: 30 } },
    });

    expect(readOtlpConfig(config)).toEqual({
      maxBodyBytes: 4096,
      retryAfterSeconds: 30,
    });
  });

  it('rejects tiny body limit', () => {
    const config = new ConfigReader({ aiCost: { otlp: { maxBodyBytes: 10 } } });

    expect(() => readOtlpConfig(config)).toThrow(
      'Invalid aiCost.otlp.maxBodyBytes 10; use a whole number of bytes from 1024 to 268435456',
    );
  });

  it('rejects fractional retry delay', () => {
    const config = new ConfigReader({
      aiCost: { otlp: { retryAfterSeconds: 1.5 } },
    });

    expect(() => readOtlpConfig(config)).toThrow(
      'Invalid aiCost.otlp.retryAfterSeconds 1.5; use a whole number of seconds from 1 to 3600',
    );
  });
});
