import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_PRICES, BENCH_SERVICES } from './spans';
import { INGEST_TOKEN } from './server';

const CLI = path.resolve(__dirname, '../../bin/ai-cost');

const HEADER =
  'timestamp,service,provider,model,inputTokens,cachedInputTokens,outputTokens,requestId,taskId,operation';

/**
 * Writes `rows` usage records in the normalised CSV format of
 * docs/usage-import.md, each with its own requestId, spread over the 30
 * days before `now`.
 */
export async function writeUsageCsv(
  file: string,
  rows: number,
  now = Date.now(),
): Promise<void> {
  const out = fs.createWriteStream(file);
  let state = 7;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const write = (text: string) =>
    new Promise<void>((resolve, reject) =>
      out.write(text, error => (error ? reject(error) : resolve())),
    );

  await write(`${HEADER}\n`);
  let lines: string[] = [];
  for (let row = 0; row < rows; row++) {
    const price = BENCH_PRICES[Math.floor(random() * BENCH_PRICES.length)];
    const service =
      BENCH_SERVICES[Math.floor(random() * BENCH_SERVICES.length)];
    const inputTokens = 200 + Math.floor(random() * 12_000);
    const cached =
      random() < 0.4 ? Math.floor(inputTokens * random() * 0.8) : 0;
    const outputTokens = 20 + Math.floor(random() * 1_500);
    const timestamp = new Date(
      now - Math.floor(random() * 30 * 86_400_000),
    ).toISOString();
    lines.push(
      [
        timestamp,
        service,
        price.provider,
        price.model,
        inputTokens,
        cached,
        outputTokens,
        `bench-${now}-${row}`,
        `task-${Math.floor(random() * 50_000)}`,
        'chat',
      ].join(','),
    );
    if (lines.length === 10_000) {
      await write(`${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) {
    await write(`${lines.join('\n')}\n`);
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
}

/** Outcome of one run of `ai-cost import`. */
export interface CliImport {
  millis: number;
  output: string;
}

/**
 * Runs `node bin/ai-cost import <file>` against the server with the
 * static token and returns its wall time. Fails when the CLI exits with
 * a code other than 0, which it does when any record is rejected.
 */
export function runCliImport(
  file: string,
  baseUrl: string,
): Promise<CliImport> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(
      process.execPath,
      [CLI, 'import', file, '--url', baseUrl, '--token', INGEST_TOKEN],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', chunk => {
      output += chunk;
    });
    child.stderr.on('data', chunk => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('exit', code => {
      const millis = Number(process.hrtime.bigint() - started) / 1e6;
      if (code !== 0) {
        reject(
          new Error(
            `ai-cost import exited with code ${code}: ${output.trim()}`,
          ),
        );
        return;
      }
      resolve({ millis, output: output.trim() });
    });
  });
}
