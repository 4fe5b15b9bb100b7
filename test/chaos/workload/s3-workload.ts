// The chaos workload: concurrent clients doing put / get / delete / list / conditional puts (and
// now and then a large put by multipart upload, recorded as a plain put) on a small key set
// through the S3 API of several gateways, every op recorded for the checkers.
// Each client mostly uses its home gateway and sometimes another, so during a partition some
// clients talk to the cut-off zone. Values are unique; a client's choices come from the seed
// (what it does, not when the cluster answers). Every op has a deadline, so a run ends within
// its duration plus one op timeout.
import { setTimeout as sleep } from 'node:timers/promises';
import { S3Client } from '@aws-sdk/client-s3';
import type { RegisterCall, RegisterResult } from '../linearizability/index.ts';
import { SeededRandom } from '../../unit/raft/sim/seeded-random.ts';
import { HistoryRecorder } from './history-recorder.ts';
import { multipartValueName, valueName } from './object-values.ts';
import { MULTIPART_PART_BYTES } from './s3-multipart-put.ts';
import { listKeys, type RegisterTarget, runRegisterCall } from './s3-register-client.ts';
import { neverSent } from './s3-failure.ts';

/** `multipart`: a put of a large value by multipart upload, recorded as a `put` (its outcome is Complete's). */
export type WorkloadOpKind = 'put' | 'get' | 'delete' | 'list' | 'put-if-absent' | 'put-if-match' | 'multipart';
/** Weights of the op kinds; a kind left out is never picked. */
export type WorkloadMix = Readonly<Partial<Record<WorkloadOpKind, number>>>;

/** Relative weights of the op kinds. Reads dominate, as they do for real users; multipart bodies are large, so rare. */
export const DEFAULT_MIX: WorkloadMix = {
  'get': 35, 'put': 25, 'put-if-match': 10, 'put-if-absent': 8, 'delete': 7, 'list': 15, 'multipart': 2,
};
/** Mostly small objects (replicated), some large enough to be erasure-coded (≥ 128 KiB). */
export const DEFAULT_SIZES: readonly number[] = [64, 64, 64, 8 * 1024, 8 * 1024, 160 * 1024];
/** Multipart values: one full 5 MiB part and a tail (small, or large enough to be erasure-coded). */
export const DEFAULT_MULTIPART_SIZES: readonly number[] = [MULTIPART_PART_BYTES + 1024, MULTIPART_PART_BYTES + 160 * 1024];
export const DEFAULT_OP_TIMEOUT_MS = 5_000;
/** Chance an op goes to a random gateway instead of the client's own. */
const AWAY_CHANCE = 0.3;
/**
 * A client whose request never left (a dead gateway refuses the connection at once) waits this
 * long before its next op, so a killed zone is not hammered in a tight loop of instant failures.
 */
export const NOT_SENT_PAUSE_MS = 100;

export interface S3Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export interface WorkloadOptions {
  /** Gateway URLs, one per zone (at least one). */
  endpoints: readonly string[];
  credentials: S3Credentials;
  region?: string;
  bucket: string;
  /** Keys are `<prefix>k<n>`; the listing covers exactly the prefix. */
  keyPrefix: string;
  keyCount: number;
  clients: number;
  durationMs: number;
  seed: number;
  opTimeoutMs?: number;
  sizes?: readonly number[];
  /** Sizes of multipart values (each more than MULTIPART_PART_BYTES: two parts or more). */
  multipartSizes?: readonly number[];
  mix?: WorkloadMix;
  /** Shared with the final checks, so their reads join the same history; a fresh one if absent. */
  recorder?: HistoryRecorder;
  /** Stops the clients early (each finishes its current op). */
  signal?: AbortSignal;
}

export interface WorkloadRun {
  recorder: HistoryRecorder;
  keys: string[];
  /** Ops by `<call>:<result>` (multipart puts as `multipart:<result>`), for the run's summary. */
  counts: Record<string, number>;
}

export function workloadKeys(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}k${i}`);
}

export function workloadS3Client(endpoint: string, credentials: S3Credentials, region = 'us-east-1'): S3Client {
  // One attempt: a retry would hide an op's real window and outcome from the history.
  return new S3Client({ endpoint, region, forcePathStyle: true, credentials, maxAttempts: 1 });
}

export async function runS3Workload(o: WorkloadOptions): Promise<WorkloadRun> {
  if (o.endpoints.length === 0) throw new Error('the workload needs at least one endpoint');
  const recorder = o.recorder ?? new HistoryRecorder();
  const keys = workloadKeys(o.keyPrefix, o.keyCount);
  const clients = o.endpoints.map((e) => workloadS3Client(e, o.credentials, o.region));
  const counts: Record<string, number> = {};
  const deadline = recorder.now() + o.durationMs;
  const root = new SeededRandom(o.seed);
  const streams = Array.from({ length: o.clients }, () => root.fork());
  try {
    await Promise.all(streams.map((rnd, client) => runClient({
      client, rnd, recorder, keys, deadline, counts, opts: o,
      target: (i) => ({ s3: clients[i]!, bucket: o.bucket, timeoutMs: o.opTimeoutMs ?? DEFAULT_OP_TIMEOUT_MS }),
    })));
  } finally {
    for (const c of clients) c.destroy();
  }
  return { recorder, keys, counts };
}

interface ClientContext {
  client: number;
  rnd: SeededRandom;
  recorder: HistoryRecorder;
  keys: readonly string[];
  deadline: number;
  counts: Record<string, number>;
  opts: WorkloadOptions;
  target(endpointIndex: number): RegisterTarget;
}

async function runClient(c: ClientContext): Promise<void> {
  const { rnd, recorder, opts } = c;
  const mix = (Object.entries(opts.mix ?? DEFAULT_MIX) as [WorkloadOpKind, number | undefined][])
    .filter((e): e is [WorkloadOpKind, number] => e[1] !== undefined && e[1] > 0);
  if (mix.length === 0) throw new Error('the workload mix has no op kind with a positive weight');
  const home = c.client % opts.endpoints.length;
  /** The last value this client saw or wrote per key: what an If-Match names. */
  const known = new Map<string, string>();
  let seq = 0;
  while (recorder.now() < c.deadline && !opts.signal?.aborted) {
    const kind = weightedPick(rnd, mix);
    const endpointIndex = rnd.chance(AWAY_CHANCE) ? rnd.int(opts.endpoints.length) : home;
    const target = c.target(endpointIndex);
    const endpoint = opts.endpoints[endpointIndex]!;
    if (kind === 'list') {
      const pending = recorder.beginMany(c.client, c.keys, { f: 'exists' });
      const listed = await listKeys(target, opts.keyPrefix);
      const results: RegisterResult[] = c.keys.map((k) => ('keys' in listed
        ? { type: 'exists', present: listed.keys.has(k) }
        : { type: 'indeterminate', reason: listed.error }));
      recorder.endMany(pending, results, { endpoint, error: 'error' in listed ? listed.error : undefined });
      count(c.counts, 'list', results[0]!);
      if ('error' in listed && neverSent(listed.error)) await sleep(NOT_SENT_PAUSE_MS);
      continue;
    }
    const key = rnd.pick(c.keys);
    const value = kind === 'multipart'
      ? multipartValueName(c.client, seq++, rnd.pick(opts.multipartSizes ?? DEFAULT_MULTIPART_SIZES), MULTIPART_PART_BYTES)
      : valueName(c.client, seq++, rnd.pick(opts.sizes ?? DEFAULT_SIZES));
    const expected = known.get(key);
    const call: RegisterCall = kind === 'put' || kind === 'multipart' ? { f: 'put', value }
      : kind === 'put-if-absent' || (kind === 'put-if-match' && expected === undefined) ? { f: 'put-if-absent', value }
        : kind === 'put-if-match' ? { f: 'put-if-match', value, expected: expected! }
          : kind === 'delete' ? { f: 'delete' } : { f: 'get' };
    const pending = recorder.begin(c.client, key, call);
    const outcome = await runRegisterCall(target, key, call);
    recorder.end(pending, outcome.result, { endpoint, error: outcome.error });
    count(c.counts, kind === 'multipart' ? 'multipart' : call.f, outcome.result);
    if (outcome.result.type === 'failed' && neverSent(outcome.result.reason)) await sleep(NOT_SENT_PAUSE_MS);
    if (outcome.result.type === 'read' && outcome.result.value !== null && !outcome.corrupt) known.set(key, outcome.result.value);
    if (outcome.result.type === 'ok' && 'value' in call) known.set(key, call.value);
  }
}

function weightedPick<T>(rnd: SeededRandom, items: readonly [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = rnd.float() * total;
  for (const [item, w] of items) {
    if ((x -= w) < 0) return item;
  }
  return items[items.length - 1]![0];
}

function count(counts: Record<string, number>, what: string, r: RegisterResult): void {
  const k = `${what}:${r.type}`;
  counts[k] = (counts[k] ?? 0) + 1;
}
