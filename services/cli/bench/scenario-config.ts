// The scenarios and their knobs, as plain data: what `zonestore bench` parses its flags into and
// the suite writes its cells as. Pure.
import type { Capability } from './bench-target.ts';
import { meanSize, type SizeSpec } from './size-spec.ts';

export const SCENARIOS = ['put', 'get', 'mixed', 'list', 'multipart', 'delete', 'small-files'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export const SCENARIO_HELP: Record<ScenarioName, string> = {
  put: 'PUT objects of --size (new keys, or --keys reuse to overwrite a fixed set)',
  get: 'GET objects of --size from a pool written before the measured phase (size checked)',
  mixed: 'GETs from a pool and PUTs, in --ratio (GET:PUT)',
  list: 'ListObjectsV2 over --list-keys keys, paged by --page-size: the whole flat prefix, or one random directory of a nested tree',
  multipart: 'whole multipart uploads of --size: create, parts of --part-size with --parts-in-flight at once, complete',
  delete: 'DeleteObject of objects written before the measured phase (--ops of them, else --key-count); stops when they run out',
  'small-files': 'small files (default 1KiB-64KiB) under nested directories: each written, then read back',
};

/** small-files' sizes when --size is not given. */
export const SMALL_FILE_SIZES: SizeSpec = { kind: 'range', min: 1024, max: 64 * 1024 };

export type KeyMode = 'random' | 'reuse';
export type ListLayout = 'flat' | 'nested';

export interface ScenarioConfig {
  name: ScenarioName;
  size: SizeSpec;
  keys: KeyMode;
  /** Objects in the reused set, the GET pool (capped by poolBytes) and the delete pool. */
  keyCount: number;
  /** Bytes of GET pool per target at most. */
  poolBytes: number;
  /** mixed: the share of GETs, 0-100. */
  getPercent: number;
  partSize: number;
  partsInFlight: number;
  listKeys: number;
  listLayout: ListLayout;
  /** nested: directories per level (two levels). */
  listFanout: number;
  pageSize: number;
  opTimeoutMs: number;
}

export function requiredCapabilities(name: ScenarioName): Capability[] {
  switch (name) {
    case 'put': return ['write'];
    case 'get': return ['read'];
    case 'mixed': return ['read', 'write'];
    case 'list': return ['list'];
    case 'multipart': return ['multipart'];
    case 'delete': return ['delete'];
    case 'small-files': return ['write', 'read'];
  }
}

/** GET pool size: --key-count objects, but no more bytes than --pool-bytes (at least one object). */
export function poolCount(config: ScenarioConfig): number {
  return Math.max(1, Math.min(config.keyCount, Math.floor(config.poolBytes / Math.max(1, meanSize(config.size)))));
}

/** "70:30" → 70 (the GET share of a GET:PUT ratio). */
export function parseRatio(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*:\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
  const get = Number(m?.[1]);
  const put = Number(m?.[2]);
  if (!m || get + put <= 0) throw new Error(`not a GET:PUT ratio: "${text}" (e.g. 70:30)`);
  return (get / (get + put)) * 100;
}

/** nested layout: `d-II/s-JJ/` directories, fanout × fanout leaves, keys spread over the leaves. */
export function nestedListKey(index: number, fanout: number): string {
  const leaves = fanout * fanout;
  const leaf = index % leaves;
  return `d-${pad(Math.floor(leaf / fanout))}/s-${pad(leaf % fanout)}/k-${pad(Math.floor(index / leaves), 6)}`;
}

/** Every directory of the nested layout, top included (''), each ending in '/'. */
export function nestedDirectories(fanout: number): string[] {
  const dirs = [''];
  for (let i = 0; i < fanout; i++) {
    dirs.push(`d-${pad(i)}/`);
    for (let j = 0; j < fanout; j++) dirs.push(`d-${pad(i)}/s-${pad(j)}/`);
  }
  return dirs;
}

export const flatListKey = (index: number): string => `k-${pad(index, 7)}`;

function pad(n: number, width = 3): string {
  return String(n).padStart(width, '0');
}
