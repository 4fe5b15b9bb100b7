// PUT and GET throughput of 64 MiB objects with SSE-KMS against without, in the same run on the
// same three-zone cluster (the zone flags `zonestore up` uses). Measured time is cut into slices
// that alternate between the two columns, so drift in a shared machine's load hits both alike.
// GETs read objects written by a prefill step (each column its own). Target: SSE-KMS ≥ 0.85×.
//
//   npm run bench:sse [-- --duration-s 20 --rounds 4 --concurrency 1 4 --size-mib 64 --profile --no-write]
import { Command } from 'commander';
import { GetObjectCommand, CreateBucketCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { writeMarkedSection } from '../../services/cli/bench/results-file.ts';
import { seededBytes } from '../../test/clients/s3-cluster-fixture.ts';
import { loadAverage, machineLine } from '../gateway/machine-info.ts';
import { benchClient } from '../gateway/systems-under-test.ts';
import { startZonestoreCluster } from '../gateway/zonestore-cluster.ts';
import { ZoneProfiler, profileText } from '../gateway/zone-profiles.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUCKET = 'sse-bench';
const GET_OBJECTS = 4;
const MARKERS = { begin: '<!-- sse-bench:begin (written by benchmarks/sse/run.ts; edits inside are overwritten) -->', end: '<!-- sse-bench:end -->' };

const collect = (v: string, prev: number[] | undefined): number[] => [...(prev ?? []), ...v.split(',').filter(Boolean).map(Number)];
const opts = new Command('bench:sse')
  .option('--duration-s <s>', 'measured seconds per cell and column (split into --rounds slices)', Number, 20)
  .option('--rounds <n>', 'slices per cell and column, alternating between the columns', Number, 4)
  .option('--concurrency <n...>', 'operations in flight', collect)
  .option('--size-mib <n>', 'object size in MiB', Number, 64)
  .option('--out <file>', 'Markdown file whose sse section is written', 'benchmarks/RESULTS.md')
  .option('--no-write', 'print only; leave RESULTS.md alone')
  .option('--profile', 'after the measured cells, profile zone-1 (V8 sampling profiler) over extra cells through its gateway')
  .option('--profile-s <s>', 'seconds per profiled cell', Number, 8)
  .option('--note <text...>', 'a note to add above the table')
  .parse()
  .opts<{
    durationS: number; rounds: number; concurrency?: number[]; sizeMib: number; out: string; write: boolean; note?: string[];
    profile?: boolean; profileS: number;
  }>();
const PROFILE_TOP_ROWS = 10;

type Column = 'plain' | 'sse-kms';
const COLUMNS: Column[] = ['plain', 'sse-kms'];
const sse = (c: Column) => (c === 'sse-kms' ? { ServerSideEncryption: 'aws:kms' as const } : {});

interface Tally { ops: number; bytes: number; ms: number; errors: number; lastError?: string }

async function slice(client: S3Client, col: Column, op: 'PUT' | 'GET', body: Buffer, concurrency: number, ms: number, t: Tally): Promise<void> {
  const start = performance.now();
  const end = start + ms;
  let n = 0;
  await Promise.all(Array.from({ length: concurrency }, async (_, w) => {
    // At least one operation per worker, however long it takes.
    for (let first = true; first || performance.now() < end; first = false) {
      const i = n++;
      try {
        if (op === 'PUT') {
          await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${col}/put-${w}`, Body: body, ...sse(col) }));
        } else {
          const res = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: `${col}/get-${i % GET_OBJECTS}` }));
          let got = 0;
          for await (const chunk of res.Body as AsyncIterable<Uint8Array>) got += chunk.length;
          if (got !== body.length) throw new Error(`read ${got} bytes`);
        }
        t.ops++;
        t.bytes += body.length;
      } catch (err) {
        t.errors++;
        t.lastError = (err as Error).message;
      }
    }
  }));
  t.ms += performance.now() - start;
}

const mibps = (t: Tally) => (t.ms > 0 ? t.bytes / 2 ** 20 / (t.ms / 1000) : 0);

async function main(): Promise<void> {
  const concurrencies = opts.concurrency ?? [1, 4];
  const body = seededBytes(opts.sizeMib * 2 ** 20, 64);
  const loadBefore = loadAverage();
  const started = new Date().toISOString();
  const profiler = opts.profile ? ZoneProfiler.create() : undefined;
  const cluster = await startZonestoreCluster('default', profiler?.env());
  const stop = () => cluster.stop();
  process.once('SIGINT', () => void stop().finally(() => process.exit(130)));
  // One client per zone gateway, requests spread over them as the gateway benchmark does.
  const clients = cluster.endpoints.map((e) => benchClient(e, cluster.credentials));
  const rows: string[] = [];
  const profiles: string[] = [];
  try {
    await clients[0]!.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const col of COLUMNS) {
      for (let i = 0; i < GET_OBJECTS; i++) {
        await clients[i % clients.length]!.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${col}/get-${i}`, Body: body, ...sse(col) }));
      }
    }
    for (const op of ['PUT', 'GET'] as const) {
      for (const c of concurrencies) {
        const tallies = new Map(COLUMNS.map((col) => [col, { ops: 0, bytes: 0, ms: 0, errors: 0 } as Tally]));
        const sliceMs = (opts.durationS * 1000) / opts.rounds;
        for (let r = 0; r < opts.rounds; r++) {
          // Alternate which column goes first, so neither always follows the other's tail.
          for (const col of r % 2 === 0 ? COLUMNS : [...COLUMNS].reverse()) {
            await slice(clients[r % clients.length]!, col, op, body, c, sliceMs, tallies.get(col)!);
          }
        }
        const plain = tallies.get('plain')!;
        const kms = tallies.get('sse-kms')!;
        const ratio = mibps(plain) > 0 ? mibps(kms) / mibps(plain) : 0;
        const line = `| ${op} | ${opts.sizeMib} MiB | ${c} | ${mibps(plain).toFixed(1)} (${plain.ops} ops) | ${mibps(kms).toFixed(1)} (${kms.ops} ops) | ${ratio.toFixed(2)}× |`
          + ` ${plain.errors + kms.errors}${kms.lastError ?? plain.lastError ? ` (${kms.lastError ?? plain.lastError})` : ''} |`;
        console.log(line);
        rows.push(line);
      }
    }
    if (profiler) {
      // zone-1's process (meta replica, data nodes, gateway) while its gateway alone serves one cell.
      const pid = cluster.ready[0]!.pid;
      for (const [op, col] of [['PUT', 'plain'], ['PUT', 'sse-kms'], ['GET', 'plain'], ['GET', 'sse-kms']] as const) {
        if (profiler.toggle([pid]).length === 0) break;
        const t: Tally = { ops: 0, bytes: 0, ms: 0, errors: 0 };
        await slice(clients[0]!, col, op, body, 1, opts.profileS * 1000, t);
        profiler.toggle([pid]);
        const files = await profiler.collect([pid], join(tmpdir(), 'zonestore-sse-bench-profiles'), () => `zone-1-${op}-${col}`);
        const file = files.get(pid);
        if (file) profiles.push(profileText(`zone-1, ${op} ${opts.sizeMib} MiB ${col}, c=1: ${mibps(t).toFixed(1)} MiB/s (${t.ops} ops)`, file, PROFILE_TOP_ROWS));
      }
      profiler.remove();
    }
  } finally {
    for (const c of clients) c.destroy();
    await stop();
  }
  for (const p of profiles) console.log(p);
  const section = [
    MARKERS.begin,
    `## Server-side encryption: SSE-KMS vs unencrypted, ${opts.sizeMib} MiB PUT and GET (issue #12)`,
    '',
    `Run ${started} on ${machineLine()}; load average ${loadBefore} at the start, ${loadAverage()} at the end.`,
    `Command: \`npm run bench:sse -- --duration-s ${opts.durationS} --rounds ${opts.rounds} --concurrency ${concurrencies.join(' ')} --size-mib ${opts.sizeMib}\``,
    'One three-zone cluster (`zonestore up` timing), both columns in the same invocation, slices alternating between them;',
    'requests spread over the three gateways; GETs stream whole objects written by a prefill. MiB/s of object bytes.',
    ...(opts.note ? ['', ...opts.note] : []),
    '',
    '| op | size | concurrency | unencrypted MiB/s | SSE-KMS MiB/s | SSE-KMS / unencrypted | errors |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    ...(profiles.length > 0 ? ['', '### Where zone-1 spends its time (V8 sampling profiler, separate profiled cells through its gateway)', '', '```', ...profiles, '```'] : []),
    MARKERS.end,
  ].join('\n');
  if (opts.write) writeMarkedSection(opts.out, section, MARKERS);
  else console.log(section);
}

await main();
