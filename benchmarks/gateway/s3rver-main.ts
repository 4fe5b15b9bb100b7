// The baseline server as its own process: s3rver (a single-process, filesystem-backed S3
// server) on 127.0.0.1. A separate process rather than in the load process, so it has its own
// event loop like each zonestore gateway does and the load generator does not steal its turns.
//
//   node --import tsx benchmarks/gateway/s3rver-main.ts --port 4568 --dir /tmp/x
// prints `READY {"url": …}` once it listens; stops on SIGTERM/SIGINT or when its parent dies.
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

/** How often the orphan check runs: a killed benchmark must not leave a server holding a port. */
const PARENT_CHECK_INTERVAL_MS = 1_000;

interface S3rverOptions {
  address: string;
  port: number;
  directory: string;
  silent: boolean;
  /** Path-style URLs only: the benchmark's clients use forcePathStyle. */
  vhostBuckets: boolean;
}
interface S3rverInstance {
  run(): Promise<{ address: string; port: number }>;
  close(): Promise<void>;
}
// s3rver ships CommonJS without type declarations; this is the part of its API used here.
const S3rver = createRequire(import.meta.url)('s3rver') as new (options: S3rverOptions) => S3rverInstance;

const { values } = parseArgs({ options: { port: { type: 'string' }, dir: { type: 'string' } } });
if (!values.port || !values.dir) {
  console.error('usage: s3rver-main.ts --port <port> --dir <directory>');
  process.exit(2);
}

const server = new S3rver({ address: '127.0.0.1', port: Number(values.port), directory: values.dir, silent: true, vhostBuckets: false });
const { address, port } = await server.run();

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  server.close().then(() => process.exit(0), () => process.exit(1));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) stop();
}, PARENT_CHECK_INTERVAL_MS).unref();

process.stdout.write(`READY ${JSON.stringify({ url: `http://${address}:${port}`, pid: process.pid })}\n`);
