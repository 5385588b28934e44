import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Baseline } from './baseline.ts';

/** The limit a benchmark's figure is read against. */
export type LimitName = 'sqlite' | 'pgbench' | 'fastify';

export interface Figure {
  /** The benchmark's own number, e.g. 812. */
  value: number;
  /** What it counts, e.g. 'approvals/s'. */
  unit: string;
  /** The physical limit the figure should be read against; its share of that limit is printed. */
  against?: LimitName;
  /** Anything that qualifies the figure: database, concurrency, duration. */
  detail?: string;
}

interface LimitRow {
  name: LimitName;
  label: string;
  value: number;
  unit: string;
  detail: string;
}

function limitRows(b: Baseline): LimitRow[] {
  return [
    {
      name: 'sqlite',
      label: 'SQLite commits (WAL, synchronous=FULL)',
      value: b.sqlite.commitsPerSecond,
      unit: 'commits/s',
      detail: `1 row per tx · p50 ${ms(b.sqlite.p50Ms)} · p99 ${ms(b.sqlite.p99Ms)} · ${secs(b.sqlite.seconds)}`,
    },
    {
      name: 'pgbench',
      label: 'PostgreSQL pgbench TPC-B',
      value: b.pgbench.tps,
      unit: 'tps',
      detail:
        `-c ${b.pgbench.clients} -j ${b.pgbench.threads} -s ${b.pgbench.scale}` +
        `${b.pgbench.latencyAverageMs === null ? '' : ` · avg ${ms(b.pgbench.latencyAverageMs)}`} · ${secs(b.pgbench.seconds)}`,
    },
    {
      name: 'fastify',
      label: 'Fastify hello-world',
      value: b.fastify.requestsPerSecond,
      unit: 'req/s',
      detail:
        `${b.fastify.connections} connections · p50 ${ms(b.fastify.p50Ms)} · p99 ${ms(b.fastify.p99Ms)} · ` +
        `${secs(b.fastify.seconds)}${b.fastify.errors + b.fastify.non2xx > 0 ? ` · ${b.fastify.errors + b.fastify.non2xx} failed` : ''}`,
    },
  ];
}

/** Machine facts and the table of limits, as printed by `npm run bench:baseline`. */
export function formatBaseline(b: Baseline): string {
  const m = b.machine;
  const facts = [
    `machine   ${m.cpuCount} CPUs · ${m.cpuModel} · ${m.memoryGiB} GiB · ${m.os}`,
    `software  Node ${m.node} · SQLite ${m.sqlite} · PostgreSQL ${m.postgres}`,
    `measured  ${b.measuredAt}`,
  ];
  const rows = limitRows(b).map((r) => [r.label, `${num(r.value)} ${r.unit}`, r.detail]);
  return [...facts, '', table(['physical limit', 'figure', 'conditions'], rows, [false, true, false])].join('\n');
}

/**
 * A benchmark's figure beside the limits measured in the same run: the one it is read against carries the
 * figure's share of it, so "812 approvals/s" reads as "31 % of what the disk can commit".
 */
export function formatComparison(name: string, figure: Figure, b: Baseline): string {
  const head = `${name}: ${num(figure.value)} ${figure.unit}${figure.detail ? ` (${figure.detail})` : ''}`;
  const rows = limitRows(b).map((r) => [
    r.name === figure.against ? `▶ ${r.label}` : `  ${r.label}`,
    `${num(r.value)} ${r.unit}`,
    r.name === figure.against && r.value > 0 ? `${pct(figure.value / r.value)} of the limit` : '',
  ]);
  return [head, table(['beside the physical limits', 'limit', 'share'], rows, [false, true, true])].join('\n');
}

export function printBaseline(b: Baseline): void {
  console.log(formatBaseline(b));
}

export function printComparison(name: string, figure: Figure, b: Baseline): void {
  console.log(formatComparison(name, figure, b));
}

/** Writes bench/results/<name>.json (gitignored) and returns its path. */
export function writeResult(name: string, data: unknown): string {
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  const file = fileURLToPath(new URL(`${name}.json`, dir));
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}

function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (rightAligned[i] ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const num = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 100 ? 1 : 0 });
const ms = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: n < 10 ? 2 : 1 })} ms`;
const secs = (n: number) => `${n.toLocaleString('en-US', { maximumFractionDigits: 1 })} s`;
const pct = (r: number) => `${(r * 100).toLocaleString('en-US', { maximumFractionDigits: r < 0.1 ? 1 : 0 })} %`;
