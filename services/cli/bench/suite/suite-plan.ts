// The standard set `zonestore bench suite` runs for benchmarks/RESULTS.md: which scenarios, at
// which sizes and concurrencies, against which physical limit, and the targets. Pure
// data; the suite command turns each cell into a run over the started targets.
import type { ScenarioConfig } from '../scenario-config.ts';
import type { SizeSpec } from '../size-spec.ts';

const KiB = 2 ** 10;
const MiB = 2 ** 20;

/** Which limit server a cell is measured against: reads → nginx, writes → the fsync sink. */
export type LimitKind = 'nginx' | 'fsync-sink';

export interface SuiteCell {
  /** Short, stable id (`--only`, profile file names). */
  id: string;
  title: string;
  scenario: ScenarioConfig;
  concurrency: number;
  /** Operations per target instead of the suite's time (delete, which consumes its pool). */
  ops?: number;
  limit?: LimitKind;
  /** Why there is no limit figure, when there is none. */
  noLimitBecause?: string;
}

const fixed = (bytes: number): SizeSpec => ({ kind: 'fixed', bytes });

/** Everything but what a cell changes. */
export const SUITE_DEFAULTS: ScenarioConfig = {
  name: 'put', size: fixed(4 * KiB), keys: 'random', keyCount: 64, poolBytes: 512 * MiB, getPercent: 70,
  partSize: 8 * MiB, partsInFlight: 4, listKeys: 2000, listLayout: 'flat', listFanout: 10, pageSize: 1000, opTimeoutMs: 120_000,
};

const cell = (id: string, title: string, concurrency: number, s: Partial<ScenarioConfig>, more: Partial<SuiteCell> = {}): SuiteCell =>
  ({ id, title, concurrency, scenario: { ...SUITE_DEFAULTS, ...s }, ...more });

export const SUITE_CELLS: readonly SuiteCell[] = [
  cell('put-4k-c1', 'PUT 4 KiB', 1, { name: 'put' }, { limit: 'fsync-sink' }),
  cell('put-4k-c16', 'PUT 4 KiB', 16, { name: 'put' }, { limit: 'fsync-sink' }),
  cell('put-64m-c4', 'PUT 64 MiB', 4, { name: 'put', size: fixed(64 * MiB) }, { limit: 'fsync-sink' }),
  cell('get-4k-c16', 'GET 4 KiB', 16, { name: 'get' }, { limit: 'nginx' }),
  cell('get-64m-c4', 'GET 64 MiB', 4, { name: 'get', size: fixed(64 * MiB) }, { limit: 'nginx' }),
  cell('multipart-64m', 'multipart 64 MiB (8 MiB parts, 4 in flight)', 2, { name: 'multipart', size: fixed(64 * MiB) }, { limit: 'fsync-sink' }),
  cell('mixed-1m-c16', 'mixed 70:30 GET:PUT, 1 MiB', 16, { name: 'mixed', size: fixed(MiB), keyCount: 128 },
    { noLimitBecause: 'a mix has no single physical counterpart; see the PUT and GET rows' }),
  cell('small-files-c16', 'small files 1-64 KiB, write then read back', 16, { name: 'small-files', size: { kind: 'range', min: KiB, max: 64 * KiB } },
    { noLimitBecause: 'see the 4 KiB PUT and GET rows' }),
  cell('list-flat', 'LIST 2000 keys, flat (2 pages of 1000)', 4, { name: 'list', listLayout: 'flat' },
    { noLimitBecause: 'no plain server answers ListObjectsV2' }),
  cell('list-nested', 'LIST one directory of a 2-level tree (2000 keys)', 16, { name: 'list', listLayout: 'nested' },
    { noLimitBecause: 'no plain server answers ListObjectsV2' }),
  cell('delete-c16', 'DELETE (4 KiB objects)', 16, { name: 'delete', keyCount: 1500 }, { ops: 1500, noLimitBecause: 'no plain server answers DeleteObject' }),
];

/** The targets, each read off one cell of the suite. */
export interface SuiteTarget {
  cellId: string;
  text: string;
  /** Which figure of zonestore's row is judged. */
  judge: { kind: 'ratio-to-limit'; atLeast: number } | { kind: 'p99-ms'; atMost: number } | { kind: 'ratio-to-peer'; atLeast: number };
}

export const SUITE_TARGETS: readonly SuiteTarget[] = [
  { cellId: 'get-64m-c4', text: 'GET 64 MiB ≥ 0.5× the nginx limit', judge: { kind: 'ratio-to-limit', atLeast: 0.5 } },
  { cellId: 'put-64m-c4', text: 'PUT 64 MiB ≥ 0.5× the fsync sink', judge: { kind: 'ratio-to-limit', atLeast: 0.5 } },
  { cellId: 'put-4k-c16', text: '4 KiB PUT p99 ≤ 50 ms at concurrency 16', judge: { kind: 'p99-ms', atMost: 50 } },
  ...SUITE_CELLS.map((c) => ({ cellId: c.id, text: `${c.title}, c=${c.concurrency}: ahead of s3rver`, judge: { kind: 'ratio-to-peer' as const, atLeast: 1 } })),
];
