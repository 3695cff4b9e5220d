import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Describes the machine a benchmark ran on, for the results page. */
export function describeMachine(): string {
  const cpus = os.cpus();
  const memory = Math.round(os.totalmem() / 2 ** 30);
  return `${cpus.length} × ${
    cpus[0]?.model ?? 'unknown CPU'
  }, ${memory} GiB, Node.js ${
    process.version
  }, ${os.platform()} ${os.release()}`;
}

/**
 * Replaces the section between `<!-- bench:NAME -->` and
 * `<!-- /bench:NAME -->` in docs/benchmarks.md, appending it when absent.
 */
export function writeBenchmarkSection(name: string, markdown: string): void {
  const file = path.resolve(__dirname, '../../../docs/benchmarks.md');
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  const current = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Benchmarks\n';

  const from = current.indexOf(start);
  const to = current.indexOf(end);
  const next =
    from >= 0 && to > from
      ? `${current.slice(0, from)}${section}${current.slice(to + end.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
}
