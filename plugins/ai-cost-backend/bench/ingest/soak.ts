import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  PostgresServer,
  createScratchDatabase,
  dropScratchDatabase,
} from './databases';
import { checkAccepted, postExport } from './load';
import { INGEST_TOKEN } from './server';
import { SpanGenerator } from './spans';

const REPO_ROOT = path.resolve(__dirname, '../../../..');
const BACKEND_DIR = path.join(REPO_ROOT, 'packages/backend');

/** Requests in flight at most; a tick with this many waiting is skipped. */
export const MAX_IN_FLIGHT = 8;
const SAMPLE_MILLIS = 10_000;
const HEALTH_TIMEOUT_MILLIS = 300_000;

export interface SoakOptions {
  minutes: number;
  warmupSeconds: number;
  /** Spans per second sent. */
  rate: number;
  spansPerRequest: number;
  port: number;
  /** PostgreSQL server for the backend's database; in-memory SQLite without it. */
  postgres?: PostgresServer;
}

export interface RssSample {
  seconds: number;
  bytes: number;
}

export interface SoakResult {
  database: 'sqlite' | 'postgres';
  rssAfterWarmup: number;
  rssEnd: number;
  rssMax: number;
  samples: RssSample[];
  /** Spans of the requests that got status 200 without rejections. */
  spansAccepted: number;
  spansStored: number;
  skippedTicks: number;
  failures: number;
  firstFailure?: string;
  logFile: string;
}

/** Returns VmRSS of a process and all its descendants, in bytes. */
export function readTreeRss(pid: number): number {
  let total = 0;
  const pending = [pid];
  while (pending.length > 0) {
    const current = pending.pop()!;
    let status: string;
    try {
      status = fs.readFileSync(`/proc/${current}/status`, 'utf8');
    } catch {
      continue; // the process ended between two reads
    }
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    total += match ? Number(match[1]) * 1024 : 0;

    for (const task of fs.readdirSync(`/proc/${current}/task`)) {
      const children = fs
        .readFileSync(`/proc/${current}/task/${task}/children`, 'utf8')
        .trim();
      if (children) {
        pending.push(...children.split(/\s+/).map(Number));
      }
    }
  }
  return total;
}

/** Rejects when something listens on 127.0.0.1:`port`. */
export async function checkPortFree(port: number): Promise<void> {
  const inUse = await new Promise<boolean>(resolve => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (inUse) {
    throw new Error(
      `127.0.0.1:${port} is in use; stop the backend listening there or pass --backend-port with a free port`,
    );
  }
}

/**
 * Writes the extra app-config of the soak: the port, no demo data and,
 * with PostgreSQL, the scratch database with one schema per plugin.
 */
function writeSoakConfig(
  dir: string,
  options: SoakOptions,
  databaseName: string,
): string {
  const config: Record<string, unknown> = {
    backend: {
      baseUrl: `http://127.0.0.1:${options.port}`,
      listen: { host: '127.0.0.1', port: options.port },
      ...(options.postgres && {
        database: {
          client: 'pg',
          pluginDivisionMode: 'schema',
          connection: { ...options.postgres, database: databaseName },
        },
      }),
    },
    aiCost: { demo: { enabled: false } },
  };
  const file = path.join(dir, 'app-config.bench.yaml');
  // JSON is valid YAML, which the config loader reads.
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/**
 * Starts packages/backend the way `backstage-cli package start` starts its
 * child process, without the file watcher, so that edits in the working
 * tree do not restart it during the soak.
 */
function startBackend(configFile: string, logFile: string): ChildProcess {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index.ts',
      '--config',
      path.join(REPO_ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: BACKEND_DIR,
      stdio: ['ignore', log, log],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        ESBK_TSCONFIG_PATH: path.join(REPO_ROOT, 'tsconfig.json'),
      },
    },
  );
  fs.closeSync(log);
  return child;
}

/** Stops the backend started above by its PID and waits for its exit. */
async function stopBackend(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) {
    return;
  }
  const exited = new Promise(resolve => child.once('exit', resolve));
  process.kill(child.pid, 'SIGTERM');
  const stopped = await Promise.race([
    exited.then(() => true),
    sleep(20_000).then(() => false),
  ]);
  if (!stopped && child.exitCode === null) {
    process.kill(child.pid, 'SIGKILL');
    await exited;
  }
}

function getJson(url: string): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      url,
      { headers: { authorization: `Bearer ${INGEST_TOKEN}` } },
      response => {
        let text = '';
        response.on('data', chunk => {
          text += chunk;
        });
        response.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON; the caller reports the text.
          }
          resolve({ status: response.statusCode ?? 0, body });
        });
      },
    );
    request.on('error', reject);
  });
}

async function waitForHealth(
  baseUrl: string,
  child: ChildProcess,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MILLIS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(
        `The backend exited with code ${child.exitCode} before it was healthy; see ${logFile}`,
      );
    }
    try {
      const { status } = await getJson(`${baseUrl}/api/ai-cost/health`);
      if (status === 200) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await sleep(1_000);
  }
  throw new Error(
    `The backend was not healthy within ${
      HEALTH_TIMEOUT_MILLIS / 1000
    } seconds; see ${logFile}`,
  );
}

/** Reads the stored request count from GET /allocation of the last two months. */
async function countStoredRequests(baseUrl: string): Promise<number> {
  const now = new Date();
  const to = now.toISOString().slice(0, 7);
  const from = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1),
  )
    .toISOString()
    .slice(0, 7);
  const { status, body } = await getJson(
    `${baseUrl}/api/ai-cost/allocation?from=${from}&to=${to}`,
  );
  if (status !== 200) {
    throw new Error(
      `GET /api/ai-cost/allocation responded ${status}: ${JSON.stringify(
        body,
      )}`,
    );
  }
  return body.allocatedRequests + body.unallocatedRequests;
}

/**
 * Sends protobuf export requests of `spansPerRequest` spans at a fixed
 * interval, so that `rate` spans per second go out while the backend
 * keeps up.
 */
class SteadyLoad {
  accepted = 0;
  skippedTicks = 0;
  failures = 0;
  firstFailure?: string;
  private readonly generator = new SpanGenerator(11);
  private readonly agent = new http.Agent({ keepAlive: true });
  private readonly inFlight = new Set<Promise<void>>();
  private readonly url: URL;

  constructor(baseUrl: string, private readonly options: SoakOptions) {
    this.url = new URL('/api/ai-cost/v1/traces', baseUrl);
  }

  /** Sends for `millis` and waits for the requests in flight. */
  async run(millis: number): Promise<void> {
    const interval = (this.options.spansPerRequest / this.options.rate) * 1000;
    const start = Date.now();
    for (let tick = 0; ; tick++) {
      const due = start + tick * interval;
      if (due - start >= millis) {
        break;
      }
      await sleep(Math.max(0, due - Date.now()));
      if (this.inFlight.size >= MAX_IN_FLIGHT) {
        this.skippedTicks += 1;
        continue;
      }
      const sending = this.send().finally(() => this.inFlight.delete(sending));
      this.inFlight.add(sending);
    }
    await Promise.all(this.inFlight);
  }

  close(): void {
    this.agent.destroy();
  }

  private async send(): Promise<void> {
    const request = this.generator.encode(
      'protobuf',
      this.options.spansPerRequest,
    );
    try {
      checkAccepted(
        'protobuf',
        await postExport(this.agent, this.url, 'protobuf', request.body),
      );
      this.accepted += request.spans;
    } catch (error) {
      this.failures += 1;
      this.firstFailure ??= (error as Error).message;
    }
  }
}

/**
 * Runs the backend under steady OTLP load and samples its resident set
 * size: after the warm-up, every 10 seconds and at the end.
 */
export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  await checkPortFree(options.port);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ai-cost-bench-soak-'));
  const logFile = path.join(dir, 'backend.log');
  const databaseName = `ai_cost_bench_soak_${process.pid}_${Date.now()}`;
  const baseUrl = `http://127.0.0.1:${options.port}`;

  if (options.postgres) {
    await createScratchDatabase(options.postgres, databaseName);
  }
  const child = startBackend(
    writeSoakConfig(dir, options, databaseName),
    logFile,
  );
  const load = new SteadyLoad(baseUrl, options);
  let sampler: NodeJS.Timeout | undefined;

  try {
    console.log(`Soak: backend PID ${child.pid}, log ${logFile}`);
    await waitForHealth(baseUrl, child, logFile);
    console.log(`Soak: healthy; warming up for ${options.warmupSeconds} s`);
    await load.run(options.warmupSeconds * 1000);

    const pid = child.pid!;
    const storedBefore = await countStoredRequests(baseUrl);
    const acceptedBefore = load.accepted;
    const started = Date.now();
    const samples: RssSample[] = [{ seconds: 0, bytes: readTreeRss(pid) }];
    sampler = setInterval(() => {
      const sample = {
        seconds: Math.round((Date.now() - started) / 1000),
        bytes: readTreeRss(pid),
      };
      samples.push(sample);
      console.log(
        `Soak: ${sample.seconds} s, RSS ${(sample.bytes / 2 ** 20).toFixed(
          0,
        )} MiB, ${load.accepted - acceptedBefore} spans accepted`,
      );
    }, SAMPLE_MILLIS);

    await load.run(options.minutes * 60_000);
    clearInterval(sampler);
    samples.push({
      seconds: Math.round((Date.now() - started) / 1000),
      bytes: readTreeRss(pid),
    });
    const storedAfter = await countStoredRequests(baseUrl);

    return {
      database: options.postgres ? 'postgres' : 'sqlite',
      rssAfterWarmup: samples[0].bytes,
      rssEnd: samples[samples.length - 1].bytes,
      rssMax: Math.max(...samples.map(sample => sample.bytes)),
      samples,
      spansAccepted: load.accepted - acceptedBefore,
      spansStored: storedAfter - storedBefore,
      skippedTicks: load.skippedTicks,
      failures: load.failures,
      firstFailure: load.firstFailure,
      logFile,
    };
  } finally {
    if (sampler) {
      clearInterval(sampler);
    }
    load.close();
    await stopBackend(child);
    if (options.postgres) {
      await dropScratchDatabase(options.postgres, databaseName);
    }
  }
}
