// `zonestore bench` flags: their definitions (so `--help` documents each one) and their
// validation into a run's plan. Parsing is pure; nothing here starts or reads anything.
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ChecksumMode } from './bench-s3-client.ts';
import { SCENARIOS, SMALL_FILE_SIZES, parseRatio, type KeyMode, type ListLayout, type ScenarioConfig, type ScenarioName } from './scenario-config.ts';
import { formatBytes, parseByteSize, parseSizeSpec, type SizeSpec } from './size-spec.ts';

export const DEFAULT_REGION = 'us-east-1';
export const MAX_CONCURRENCY = 1024;
export const DEFAULT_DURATION_S = 10;
export const DEFAULT_CONCURRENCY = 8;
export const DEFAULT_KEY_COUNT = 64;
export const DEFAULT_DELETE_COUNT = 1000;
export const DEFAULT_POOL_BYTES = 2 ** 30;
export const DEFAULT_OP_TIMEOUT_S = 120;
/** S3's smallest part but the last. */
export const MIN_PART_SIZE = 5 * 2 ** 20;
/** With --vs: A B A B A B A B, so a drifting machine load is shared out evenly. */
export const DEFAULT_ROUNDS_WITH_VS = 4;

export interface BenchFlags {
  local?: boolean;
  endpoint?: string;
  accessKey?: string;
  secret?: string;
  region: string;
  vs?: string[];
  gateways: 'spread' | 'one';
  concurrency: number;
  duration?: number;
  ops?: number;
  rounds?: number;
  size?: string;
  keys: KeyMode;
  keyCount?: number;
  poolBytes: string;
  ratio: string;
  partSize: string;
  partsInFlight: number;
  listKeys: number;
  listLayout: ListLayout;
  listFanout: number;
  pageSize: number;
  bucket?: string;
  seed: number;
  opTimeout: number;
  checksums: ChecksumMode;
  profile?: string;
  json?: string;
  md?: string;
  svg?: string;
  progress: boolean;
}

export function intIn(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected an integer from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a positive number, got "${value}"`);
  return n;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** Flags shared by `bench` and nothing else; `suite` has its own. */
export function addBenchFlags(cmd: Command): Command {
  return cmd
    .addOption(new Option('--local', 'target the local three-zone cluster, started by the tool in a temp dir and stopped afterwards (the default without --endpoint)'))
    .option('--endpoint <url>', 'target this S3 endpoint instead; credentials as http://KEY:SECRET@host:port or with --access-key/--secret')
    .addOption(new Option('--access-key <id>', 'access key for --endpoint and --vs URLs without their own').env('AWS_ACCESS_KEY_ID'))
    .addOption(new Option('--secret <key>', 'secret key for --endpoint and --vs URLs without their own').env('AWS_SECRET_ACCESS_KEY'))
    .option('--region <region>', 'signing region', DEFAULT_REGION)
    .option('--vs <target>', 'another target measured side by side, slices interleaved A B A B (repeatable): an endpoint URL, "local" or "s3rver" (started by the tool)', collect)
    .addOption(new Option('--gateways <how>', 'local cluster: spread operations over every zone\'s gateway, or use zone 1\'s only').choices(['spread', 'one']).default('spread'))
    .option('-c, --concurrency <n>', 'operations in flight per target (closed loop)', intIn(1, MAX_CONCURRENCY), DEFAULT_CONCURRENCY)
    .option('-d, --duration <s>', `measured seconds per target (default ${DEFAULT_DURATION_S} unless --ops)`, positive)
    .option('-n, --ops <n>', 'operations per target instead of a duration', intIn(1, 1e9))
    .option('--rounds <n>', `slices each target's measured share is cut into, alternating between targets (default 1, ${DEFAULT_ROUNDS_WITH_VS} with --vs)`, intIn(1, 1000))
    .option('--size <size>', 'object size: 4KiB, 64MiB…; a log-uniform range 1KiB-1MiB; or weighted 4KiB:80,1MiB:20 (default 4KiB; multipart 64MiB; small-files 1KiB-64KiB)')
    .addOption(new Option('--keys <mode>', 'PUT keys: a new key per operation, or overwrite a fixed set of --key-count keys').choices(['random', 'reuse']).default('random'))
    .option('--key-count <n>', `reused keys and GET pool objects (default ${DEFAULT_KEY_COUNT}); objects to delete (default ${DEFAULT_DELETE_COUNT}, or --ops)`, intIn(1, 10_000_000))
    .option('--pool-bytes <size>', 'GET pool bytes per target at most (fewer objects than --key-count when they would not fit)', '1GiB')
    .option('--ratio <get:put>', 'mixed: GETs to PUTs', '70:30')
    .option('--part-size <size>', 'multipart: part size (at least 5MiB)', '8MiB')
    .option('--parts-in-flight <n>', 'multipart: parts of one upload sent at once', intIn(1, 64), 4)
    .option('--list-keys <n>', 'list: objects under the listed prefix', intIn(1, 10_000_000), 2000)
    .addOption(new Option('--list-layout <layout>', 'list: one flat prefix listed whole, or a two-level tree listed one directory at a time (delimiter /)').choices(['flat', 'nested']).default('flat'))
    .option('--list-fanout <n>', 'list, nested: directories per level', intIn(1, 1000), 10)
    .option('--page-size <n>', 'list: max-keys per ListObjectsV2 page', intIn(1, 1000), 1000)
    .option('--bucket <name>', 'use (or create) this bucket; default: a fresh zonestore-bench-<random> bucket, removed afterwards')
    .option('--seed <n>', 'seed for sizes, keys and mixes: the same seed gives the same sequence of operations', intIn(0, 2 ** 32 - 1), 1)
    .option('--op-timeout <s>', 'deadline of one operation (a whole multipart upload or listing included)', positive, DEFAULT_OP_TIMEOUT_S)
    .addOption(new Option('--checksums <when>', 'SDK upload checksums: only where required (s3rver needs this), or the SDK default CRC32 on every upload').choices(['required', 'supported']).default('required'))
    .option('--profile <dir>', 'local cluster: V8 CPU profile of each zone process over the measured phase, written to <dir>')
    .option('--json <file>', 'write the full report as JSON ("-" for stdout)')
    .option('--md <file>', 'write the summary as a Markdown document')
    .option('--svg <file>', 'write a chart: throughput over time and latency percentiles')
    .option('--no-progress', 'no live progress bar (it is drawn only on a terminal anyway)');
}

export interface BenchPlanInput {
  scenario: ScenarioConfig;
  concurrency: number;
  durationMs?: number;
  ops?: number;
  rounds: number;
}

export function defaultSize(name: ScenarioName): SizeSpec {
  if (name === 'multipart') return { kind: 'fixed', bytes: 64 * 2 ** 20 };
  if (name === 'small-files') return SMALL_FILE_SIZES;
  if (name === 'list') return { kind: 'fixed', bytes: 0 };
  return { kind: 'fixed', bytes: 4 * 2 ** 10 };
}

export function parseScenarioName(value: string): ScenarioName {
  if (!(SCENARIOS as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown scenario "${value}" (one of: ${SCENARIOS.join(', ')})`);
  return value as ScenarioName;
}

/** Flags → the plan of a run; throws an Error whose message is fit for the user. */
export function planFromFlags(name: ScenarioName, f: BenchFlags, targets: number): BenchPlanInput {
  if (f.duration !== undefined && f.ops !== undefined) throw new Error('give --duration or --ops, not both');
  const partSize = parseByteSize(f.partSize);
  if (name === 'multipart' && partSize < MIN_PART_SIZE) throw new Error(`--part-size must be at least 5MiB (S3's smallest part), not ${f.partSize}`);
  const keyCount = f.keyCount ?? (name === 'delete' ? f.ops ?? DEFAULT_DELETE_COUNT : DEFAULT_KEY_COUNT);
  const scenario: ScenarioConfig = {
    name, size: f.size !== undefined ? parseSizeSpec(f.size) : defaultSize(name), keys: f.keys, keyCount,
    poolBytes: parseByteSize(f.poolBytes), getPercent: parseRatio(f.ratio), partSize, partsInFlight: f.partsInFlight,
    listKeys: f.listKeys, listLayout: f.listLayout, listFanout: f.listFanout, pageSize: f.pageSize, opTimeoutMs: f.opTimeout * 1000,
  };
  const ops = f.ops;
  return {
    scenario, concurrency: f.concurrency, ops,
    durationMs: ops === undefined ? (f.duration ?? DEFAULT_DURATION_S) * 1000 : undefined,
    rounds: f.rounds ?? (targets > 1 ? DEFAULT_ROUNDS_WITH_VS : 1),
  };
}

/** The scenario's own knobs, for reports: only those that shaped this run. */
export function scenarioDetails(s: ScenarioConfig): Record<string, string | number> {
  switch (s.name) {
    case 'mixed': return { 'GET %': Math.round(s.getPercent * 10) / 10 };
    case 'multipart': return { 'part size': formatBytes(s.partSize), 'parts in flight': s.partsInFlight };
    case 'list': return { layout: s.listLayout, 'listed keys': s.listKeys, 'page size': s.pageSize, ...(s.listLayout === 'nested' ? { fanout: s.listFanout } : {}) };
    case 'delete': return { 'objects to delete': s.keyCount };
    default: return {};
  }
}
