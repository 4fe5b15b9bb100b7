// `npm run bench:erasure`: encode and reconstruct throughput (MB/s of data, one core) of our
// Reed-Solomon codec, with the WebAssembly SIMD kernel and the pure-TS table kernel, next to
// the native @ronomon/reed-solomon addon, for RS(6,3) and RS(10,4) with 1 MiB shards.
// Reconstruct = rebuild m lost data shards from the k remaining shards (the read path's
// worst case), into the lost shards' buffers. MB = 10^6 bytes; only the k data shards count
// as payload. Both sides zero the lost shards before each rebuild (a memset of m shards).
//
//   npm run bench:erasure -- [--rounds N] [--shard-bytes B]
import { parseArgs } from 'node:util';
import { ReedSolomon } from '../../services/erasure/reed-solomon.ts';
import { machineInfo } from './machine-info.ts';
import { RonomonPeer } from './ronomon-peer.ts';
import { measureOnce, type Operation, warmUp } from './throughput.ts';

const DEFAULT_ROUNDS = 5;
const DEFAULT_SHARD_BYTES = 1024 * 1024;
const CODES: readonly (readonly [number, number])[] = [[6, 3], [10, 4]];
/** The targets for encode: absolute, and relative to the native peer. */
const TARGET_ENCODE_MB_S = 1000;
const TARGET_RATIO_TO_NATIVE = 0.5;

interface Contender {
  name: string;
  encode: Operation;
  reconstruct: Operation;
  /** Checks the rebuilt data shards after one reconstruct. */
  check(): boolean;
}

function pseudoRandom(length: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/**
 * Our codec on caller arrays (views of one Buffer, like the native peer's layout), or with
 * `inPlace` on the codec's own allocateShards() buffers. Reconstruct rebuilds into the lost
 * shards' own buffers, as the native peer does.
 */
function ourContender(
  name: string, kernel: 'simd' | 'table', inPlace: boolean, k: number, m: number, original: Buffer, shard: number,
): Contender {
  const rs = new ReedSolomon(k, m, { kernel });
  let shards: Uint8Array[];
  if (inPlace) {
    shards = rs.allocateShards(shard);
    shards.slice(0, k).forEach((s, i) => s.set(original.subarray(i * shard, (i + 1) * shard)));
  } else {
    const buffer = Buffer.concat([original, Buffer.alloc(m * shard)]);
    shards = Array.from({ length: k + m }, (_, i) => buffer.subarray(i * shard, (i + 1) * shard));
  }
  const data = shards.slice(0, k);
  const parity = shards.slice(k);
  const lost = Array.from({ length: m }, (_, i) => i);
  const rebuilt = shards.slice(0, m);
  const slots = shards.map((s, i) => (i < m ? null : s));
  return {
    name,
    encode: () => { rs.encode(data, parity); },
    reconstruct: () => {
      for (const r of rebuilt) r.fill(0); // really lose them, so a no-op would fail the check
      rs.reconstructShards(slots, lost, rebuilt);
    },
    check: () => data.every((d, i) => Buffer.from(d.buffer, d.byteOffset, d.length).equals(original.subarray(i * shard, (i + 1) * shard))),
  };
}

function ronomonContender(k: number, m: number, original: Buffer, shard: number): Contender {
  const peer = new RonomonPeer(k, m, Buffer.from(original), Buffer.alloc(m * shard));
  return {
    name: '@ronomon/reed-solomon (native C)',
    encode: () => peer.encode(),
    reconstruct: async () => {
      peer.data.fill(0, 0, m * shard); // really lose them, so a no-op would fail the check
      await peer.reconstructData(m);
    },
    check: () => peer.data.equals(original),
  };
}

interface Row { code: string; name: string; encode: number; reconstruct: number }

async function benchCode(k: number, m: number, shard: number, rounds: number): Promise<Row[]> {
  const original = pseudoRandom(k * shard, k * 131 + m);
  const contenders = [
    ourContender('zonestore WASM SIMD, in place (allocateShards)', 'simd', true, k, m, original, shard),
    ourContender('zonestore WASM SIMD, caller arrays (staged copy)', 'simd', false, k, m, original, shard),
    ourContender('zonestore pure TS (table kernel)', 'table', false, k, m, original, shard),
    ronomonContender(k, m, original, shard),
  ];
  for (const c of contenders) {
    await c.encode();
    await c.reconstruct();
    if (!c.check()) throw new Error(`${c.name}: RS(${k},${m}) reconstruct produced wrong bytes`);
    await warmUp(c.encode);
    await warmUp(c.reconstruct);
  }
  const best = contenders.map(() => ({ encode: 0, reconstruct: 0 }));
  const payload = k * shard;
  for (let r = 0; r < rounds; r++) {
    for (const [i, c] of contenders.entries()) {
      best[i]!.encode = Math.max(best[i]!.encode, await measureOnce(c.encode, payload));
      best[i]!.reconstruct = Math.max(best[i]!.reconstruct, await measureOnce(c.reconstruct, payload));
    }
  }
  return contenders.map((c, i) => ({
    code: `RS(${k},${m})`, name: c.name, encode: best[i]!.encode / 1e6, reconstruct: best[i]!.reconstruct / 1e6,
  }));
}

function renderTable(rows: Row[]): string {
  const lines = [
    '| code | implementation | encode MB/s | reconstruct MB/s | encode / native | reconstruct / native |',
    '|---|---|---:|---:|---:|---:|',
  ];
  for (const row of rows) {
    const native = rows.find((r) => r.code === row.code && r.name.startsWith('@ronomon'))!;
    lines.push(`| ${row.code} | ${row.name} | ${row.encode.toFixed(0)} | ${row.reconstruct.toFixed(0)} | `
      + `${(row.encode / native.encode).toFixed(2)} | ${(row.reconstruct / native.reconstruct).toFixed(2)} |`);
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { rounds: { type: 'string' }, 'shard-bytes': { type: 'string' } },
  });
  const rounds = Number(values.rounds ?? DEFAULT_ROUNDS);
  const shard = Number(values['shard-bytes'] ?? DEFAULT_SHARD_BYTES);
  if (process.env.UV_THREADPOOL_SIZE !== '1') {
    console.warn('warning: UV_THREADPOOL_SIZE is not 1; run through `npm run bench:erasure` for one-core numbers');
  }
  const info = machineInfo();
  console.log(`machine: nproc=${info.nproc}, CPU ${info.cpuModel}, node ${info.node} (V8 ${info.v8}), `
    + `${info.date}, load average ${info.loadAverage}`);
  console.log(`shard ${shard} bytes, best of ${rounds} interleaved rounds of ≥150 ms each, single thread\n`);
  const rows: Row[] = [];
  for (const [k, m] of CODES) rows.push(...(await benchCode(k, m, shard, rounds)));
  console.log(renderTable(rows));
  console.log();
  for (const row of rows.filter((r) => r.name.includes('SIMD'))) {
    const native = rows.find((r) => r.code === row.code && r.name.startsWith('@ronomon'))!;
    const ratio = row.encode / native.encode;
    const pass = row.encode >= TARGET_ENCODE_MB_S && ratio >= TARGET_RATIO_TO_NATIVE;
    console.log(`${row.code} ${row.name}: encode ${row.encode.toFixed(0)} MB/s, ${ratio.toFixed(2)}× native: `
      + `${pass ? 'meets' : 'MISSES'} target (≥ ${TARGET_ENCODE_MB_S} MB/s and ≥ ${TARGET_RATIO_TO_NATIVE}× native)`);
  }
}

await main();
