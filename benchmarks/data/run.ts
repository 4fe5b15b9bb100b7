// bench:data — PutChunk/GetChunk throughput of one data node over loopback gRPC for 1 MiB
// chunks, against plain `fs` (write+fsync per file / readFile) in one process, as a ratio;
// plus bare grpc-js moving the same bytes between two processes (no disk), to show how much
// of the gap is the transport.
//
//   npm run bench:data -- [--chunks 128] [--runs 3] [--concurrency 1,4] [--dir <base dir>]
//
// Each cell is the best of --runs runs (the machine is shared; the best run is the one least
// disturbed), and the cells of one run are measured back to back so they see similar load.
// Both disk sides write to the same filesystem and read back files just written (page cache
// warm on both sides).
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DATA_CHANNEL_OPTIONS, DataNodeClient } from '../../services/data/data-client.ts';
import { killAllDataNodes, startDataNode, stopDataNode } from '../../services/data/data-node-launcher.ts';
import { startRawGrpcServer } from './raw-grpc-child.ts';
import { RawGrpcClient } from './raw-grpc-service.ts';
import {
  fsRead, fsWrite, mbPerSec, nodeDeleteAll, nodeGet, nodePut, rawGet, rawPut, type Timed,
} from './throughput.ts';

const CHUNK_BYTES = 1024 * 1024;
/** Distinct payloads cycled through, so no side benefits from writing identical bytes. */
const PAYLOAD_VARIANTS = 8;
const CALL_TIMEOUT_MS = 60_000;

const { values } = parseArgs({
  options: {
    chunks: { type: 'string', default: '128' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '1,4' },
    dir: { type: 'string' },
  },
});
const chunks = Number(values.chunks);
const runs = Number(values.runs);
const concurrencies = values.concurrency!.split(',').map(Number);
if (![chunks, runs, ...concurrencies].every((n) => Number.isInteger(n) && n > 0)) {
  throw new Error('--chunks, --runs and --concurrency must be positive integers');
}

type Cell = 'fs write+fsync' | 'fs read' | 'PutChunk' | 'GetChunk' | 'raw put' | 'raw get';
const best = new Map<string, Timed>();
function record(cell: Cell, c: number, t: Timed): void {
  const key = `${cell}|${c}`;
  const prev = best.get(key);
  if (prev === undefined || mbPerSec(t) > mbPerSec(prev)) best.set(key, t);
  process.stderr.write(`  ${cell.padEnd(15)} c=${c}: ${mbPerSec(t).toFixed(0)} MB/s\n`);
}

function peakRssMiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const base = mkdtempSync(join(values.dir ?? tmpdir(), 'zs-bench-data-'));
  const payloads = Array.from({ length: PAYLOAD_VARIANTS }, () => new Uint8Array(randomBytes(CHUNK_BYTES)));
  const node = await startDataNode({
    id: 'bench', zone: 'z1', dir: join(base, 'node'), host: '127.0.0.1',
    extraArgs: ['--scrub-interval-ms', String(24 * 3600 * 1000)],
    env: { ...process.env, LOG_LEVEL: 'warn' },
  });
  const raw = await startRawGrpcServer().catch(async (err: unknown) => {
    await stopDataNode(node, 'SIGKILL');
    throw err;
  });
  const client = new DataNodeClient(node.address, { timeoutMs: CALL_TIMEOUT_MS });
  const rawClient = new RawGrpcClient(raw.address, DATA_CHANNEL_OPTIONS);
  let peak: number | undefined;
  try {
    for (let run = 1; run <= runs; run++) {
      for (const c of concurrencies) {
        process.stderr.write(`run ${run}/${runs}, concurrency ${c}, ${chunks} × 1 MiB\n`);
        const fsDir = join(base, `fs-${run}-${c}`);
        record('fs write+fsync', c, await fsWrite(fsDir, payloads, chunks, c));
        record('fs read', c, await fsRead(fsDir, chunks, c));
        rmSync(fsDir, { recursive: true, force: true });
        const runId = `b${run.toString(16)}${c.toString(16).padStart(7, '0')}`;
        record('PutChunk', c, await nodePut(client, runId, payloads, chunks, c));
        record('GetChunk', c, await nodeGet(client, runId, chunks, c));
        await nodeDeleteAll(client, runId, chunks);
        record('raw put', c, await rawPut(rawClient, payloads, chunks, c));
        record('raw get', c, await rawGet(rawClient, CHUNK_BYTES, chunks, c));
      }
    }
    peak = peakRssMiB(node.pid);
  } finally {
    client.close();
    rawClient.close();
    await raw.stop();
    await stopDataNode(node, 'SIGTERM').catch(() => killAllDataNodes());
    rmSync(base, { recursive: true, force: true });
  }
  report(peak);
}

function report(peakRss: number | undefined): void {
  const v = (name: Cell, c: number): number => mbPerSec(best.get(`${name}|${c}`)!);
  const lines = [
    '| 1 MiB chunks | concurrency | data node MB/s | plain fs MB/s | **data node / fs** | bare grpc-js MB/s | data node / grpc-js |',
    '|---|---:|---:|---:|---:|---:|---:|',
  ];
  const row = (label: string, c: number, nodeCell: Cell, fsCell: Cell, rawCell: Cell): string =>
    `| ${label} | ${c} | ${v(nodeCell, c).toFixed(0)} | ${v(fsCell, c).toFixed(0)} | **${(v(nodeCell, c) / v(fsCell, c)).toFixed(2)}** | ${v(rawCell, c).toFixed(0)} | ${(v(nodeCell, c) / v(rawCell, c)).toFixed(2)} |`;
  for (const c of concurrencies) lines.push(row('PutChunk vs write+fsync', c, 'PutChunk', 'fs write+fsync', 'raw put'));
  for (const c of concurrencies) lines.push(row('GetChunk vs read', c, 'GetChunk', 'fs read', 'raw get'));
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  console.log(lines.join('\n'));
  console.log('');
  console.log(`best of ${runs} runs × ${chunks} chunks per cell; nproc ${nproc}; node ${process.version}; ${new Date().toISOString()}`);
  if (peakRss !== undefined) console.log(`data node peak RSS: ${peakRss.toFixed(0)} MiB`);
}

main().catch(async (err: unknown) => {
  console.error(err);
  await killAllDataNodes();
  process.exit(1);
});
