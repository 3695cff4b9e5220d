import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { aiCostUsageCreatePermission } from '@ai-cost/plugin-ai-cost-common';
import { ConfigReader } from '@backstage/config';
import { parse } from 'yaml';
import { readOtlpConfig } from './config';

const DOC = readFileSync(
  join(__dirname, '..', '..', '..', '..', 'docs', 'otlp.md'),
  'utf8',
);

/** Parses the YAML code blocks of docs/otlp.md, in document order. */
function yamlBlocks(): any[] {
  return [...DOC.matchAll(/```yaml\n([\s\S]*?)```/g)].map(match =>
    parse(match[1]),
  );
}

function blockWith(key: string): any {
  const block = yamlBlocks().find(item => item && key in item);
  if (!block) {
    throw new Error(`docs/otlp.md has no YAML block with ${key}`);
  }
  return block;
}

describe('docs/otlp.md', () => {
  describe('Collector configuration', () => {
    const collector = blockWith('exporters');
    const exporter = collector.exporters['otlphttp/ai-cost'];

    it('targets the traces route', () => {
      expect(exporter.traces_endpoint).toMatch(
        /^https:\/\/[^/]+\/api\/ai-cost\/v1\/traces$/,
      );
    });

    it('sends the ingest token', () => {
      expect(exporter.headers).toEqual({
        Authorization: 'Bearer ${env:AI_COST_INGEST_TOKEN}',
      });
    });

    it('uses gzip and proto', () => {
      expect(exporter.compression).toBe('gzip');
      expect(exporter.encoding).toBe('proto');
    });

    it('retries and queues', () => {
      expect(exporter.retry_on_failure.enabled).toBe(true);
      expect(exporter.sending_queue.enabled).toBe(true);
    });

    it('wires the pipeline', () => {
      const pipeline = collector.service.pipelines['traces/ai-cost'];

      expect(pipeline.exporters).toEqual(['otlphttp/ai-cost']);
      for (const receiver of pipeline.receivers) {
        expect(Object.keys(collector.receivers)).toContain(receiver);
      }
      for (const processor of pipeline.processors) {
        expect(Object.keys(collector.processors)).toContain(processor);
      }
    });
  });

  it('restricts token to permission', () => {
    const [access] = blockWith('backend').backend.auth.externalAccess;

    expect(access.accessRestrictions).toEqual([
      { plugin: 'ai-cost', permission: aiCostUsageCreatePermission.name },
    ]);
  });

  it('gives valid receiver settings', () => {
    const config = new ConfigReader(blockWith('aiCost'));

    expect(readOtlpConfig(config)).toEqual({
      maxBodyBytes: 16 * 1024 * 1024,
      retryAfterSeconds: 5,
    });
  });
});
