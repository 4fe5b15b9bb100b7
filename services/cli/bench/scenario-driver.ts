// One scenario on one target: what is written before the measured phase (GET and delete pools,
// the listing tree) and the operation each worker step performs. Every draw comes from the
// worker's seeded random source; sizes of pool objects from the object's index, so every target
// of a run holds the same pool.
import type { BenchTarget } from './bench-target.ts';
import {
  flatListKey, nestedDirectories, nestedListKey, poolCount, type ScenarioConfig,
} from './scenario-config.ts';
import { getObject, listAll, multipartUpload, putObject, deleteObject } from './s3-operations.ts';
import { pick, seededRandom, type Random } from './seeded-random.ts';
import { drawSize, maxSize } from './size-spec.ts';

/** Preparation writes in flight at most, and their bytes in flight at most. */
export const PREPARE_CONCURRENCY = 16;
const PREPARE_BYTES_IN_FLIGHT = 256 * 2 ** 20;
const SMALL_FILE_FANOUT = 16;

export interface OpOutcome {
  kind: string;
  bytes: number;
  items?: number;
}
/** The step had nothing left to do (the delete pool is empty): the worker stops. */
export const EXHAUSTED = 'exhausted';
export type SubRecorder = (kind: string, micros: number, bytes: number, items?: number) => void;
export type Operation = (worker: number, seq: number, random: Random, sub: SubRecorder) => Promise<OpOutcome | typeof EXHAUSTED>;

export interface TargetSession {
  target: BenchTarget;
  bucket: string;
  /** Every key of the run starts with it; cleanup removes exactly these. */
  prefix: string;
}

export interface ScenarioDriver {
  prepare(log: (line: string) => void): Promise<void>;
  readonly op: Operation;
}

/** Bodies are slices of one buffer of the largest size, filled once per run. */
export function createDriver(config: ScenarioConfig, session: TargetSession, body: Buffer, seed: number): ScenarioDriver {
  const { target, bucket, prefix } = session;
  const t = config.opTimeoutMs;
  const poolKey = (i: number): string => `${prefix}pool/${i}`;
  const poolSize = (i: number): number => drawSize(config.size, seededRandom(seed * 7919 + i));
  const count = poolCount(config);
  const seedObjects = (keys: Array<{ key: string; size: number }>, log: (line: string) => void, what: string): Promise<void> =>
    writeSeeds(session, keys, body, t, log, what);
  const newKey = (worker: number, seq: number, what: string): string => `${prefix}${what}/${worker}/${seq}`;
  const putKey = (worker: number, seq: number, random: Random): { key: string; size: number } => {
    if (config.keys === 'reuse') {
      const i = pick(random, count);
      return { key: poolKey(i), size: poolSize(i) };
    }
    return { key: newKey(worker, seq, 'put'), size: drawSize(config.size, random) };
  };
  const put = async (worker: number, seq: number, random: Random): Promise<OpOutcome> => {
    const { key, size } = putKey(worker, seq, random);
    return { kind: 'put', bytes: await putObject(target.client(worker, seq), bucket, key, body.subarray(0, size), t) };
  };
  const get = async (worker: number, seq: number, random: Random): Promise<OpOutcome> => {
    const i = pick(random, count);
    return { kind: 'get', bytes: await getObject(target.client(worker, seq), bucket, poolKey(i), poolSize(i), t) };
  };
  const pool = Array.from({ length: count }, (_, i) => ({ key: poolKey(i), size: poolSize(i) }));

  switch (config.name) {
    case 'put':
      return { prepare: async (log) => { if (config.keys === 'reuse') await seedObjects(pool, log, 'reused keys'); }, op: put };
    case 'get':
      return { prepare: (log) => seedObjects(pool, log, 'GET pool'), op: get };
    case 'mixed':
      return {
        prepare: (log) => seedObjects(pool, log, 'GET pool'),
        op: (worker, seq, random) => (random() * 100 < config.getPercent ? get(worker, seq, random) : put(worker, seq, random)),
      };
    case 'multipart':
      return {
        prepare: async () => {},
        op: async (worker, seq, random, sub) => {
          const { key, size } = putKey(worker, seq, random);
          const bytes = await multipartUpload(target.client(worker, seq), bucket, key, body.subarray(0, size),
            { partSize: config.partSize, partsInFlight: config.partsInFlight }, t, (micros, n) => sub('part', micros, n));
          return { kind: 'multipart', bytes };
        },
      };
    case 'delete': {
      const doomed = Array.from({ length: config.keyCount }, (_, i) => ({ key: `${prefix}doomed/${i}`, size: poolSize(i) }));
      let next = 0;
      return {
        prepare: (log) => seedObjects(doomed, log, 'to delete'),
        op: async (worker, seq) => {
          if (next >= doomed.length) return EXHAUSTED;
          await deleteObject(target.client(worker, seq), bucket, doomed[next++]!.key, t);
          return { kind: 'delete', bytes: 0 };
        },
      };
    }
    case 'list': {
      const base = `${prefix}list/`;
      const keys = Array.from({ length: config.listKeys }, (_, i) => ({
        key: base + (config.listLayout === 'flat' ? flatListKey(i) : nestedListKey(i, config.listFanout)), size: 0,
      }));
      const dirs = nestedDirectories(config.listFanout);
      return {
        prepare: (log) => seedObjects(keys, log, `${config.listLayout} listing tree`),
        op: async (worker, seq, random, sub) => {
          const nested = config.listLayout === 'nested';
          const dir = nested ? base + dirs[pick(random, dirs.length)]! : base;
          const items = await listAll(target.client(worker, seq), bucket, dir, nested ? '/' : undefined, config.pageSize, t,
            (page) => sub('list-page', page.micros, 0, page.keys + page.prefixes));
          return { kind: 'list', bytes: 0, items };
        },
      };
    }
    case 'small-files': {
      // Even steps write a new file, odd steps read that file back: read-after-write, per worker.
      const sizes = config.size;
      const fileKey = (worker: number, file: number): string =>
        `${prefix}files/d-${worker % SMALL_FILE_FANOUT}/s-${file % SMALL_FILE_FANOUT}/f-${worker}-${file}`;
      const written = new Map<number, { key: string; size: number }>();
      return {
        prepare: async () => {},
        op: async (worker, seq, random) => {
          const last = written.get(worker);
          if (seq % 2 === 1 && last) {
            written.delete(worker);
            return { kind: 'get', bytes: await getObject(target.client(worker, seq), bucket, last.key, last.size, t) };
          }
          const file = { key: fileKey(worker, seq), size: drawSize(sizes, random) };
          await putObject(target.client(worker, seq), bucket, file.key, body.subarray(0, file.size), t);
          written.set(worker, file);
          return { kind: 'put', bytes: file.size };
        },
      };
    }
  }
}

/** The body buffer a scenario needs: the largest size it can draw. */
export function bodyBytesNeeded(config: ScenarioConfig): number {
  return maxSize(config.size);
}

async function writeSeeds(
  session: TargetSession, keys: Array<{ key: string; size: number }>, body: Buffer, timeoutMs: number,
  log: (line: string) => void, what: string,
): Promise<void> {
  if (keys.length === 0) return;
  const { target, bucket } = session;
  const started = performance.now();
  if (target.seedObject) {
    for (const k of keys) target.seedObject(bucket, k.key, body.subarray(0, k.size));
  } else {
    const largest = Math.max(1, ...keys.map((k) => k.size));
    const inFlight = Math.max(1, Math.min(PREPARE_CONCURRENCY, Math.floor(PREPARE_BYTES_IN_FLIGHT / largest)));
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async (_, worker) => {
      while (next < keys.length) {
        const k = keys[next++]!;
        await putObject(target.client(worker, next), bucket, k.key, body.subarray(0, k.size), timeoutMs);
      }
    }));
  }
  log(`${target.label}: wrote ${keys.length} objects (${what}) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
