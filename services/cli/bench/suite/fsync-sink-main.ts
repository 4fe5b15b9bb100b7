// The write limit the suite measures PUTs against: a minimal node:http server that takes each
// request body, writes it to a file, fsyncs it and only then answers — the least any durable
// store must do with the bytes. It speaks just enough S3 for the SDK's PutObject and multipart
// calls to succeed (no signature check, no listing, no reading back). Files are unlinked after
// the answer, so a long run does not fill the disk.
//
//   node --import tsx fsync-sink-main.ts --port 0 --dir /tmp/x
// prints `READY {"url": …}` once listening; stops on SIGTERM/SIGINT or when its parent dies.
import { randomUUID } from 'node:crypto';
import { open, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

/** How often the orphan check runs: a killed benchmark must not leave a server holding a port. */
const PARENT_CHECK_INTERVAL_MS = 1_000;
/** Idle keep-alive sockets are kept this long (the runner's slices alternate between targets). */
const KEEP_ALIVE_MS = 120_000;

const { values } = parseArgs({ options: { port: { type: 'string' }, dir: { type: 'string' } } });
if (values.port === undefined || !values.dir) {
  console.error('usage: fsync-sink-main.ts --port <port|0> --dir <directory>');
  process.exit(2);
}
const dir = values.dir;

async function writeDurably(req: IncomingMessage): Promise<{ file: string; bytes: number }> {
  const file = join(dir, randomUUID());
  const fh = await open(file, 'w');
  let bytes = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      await fh.write(chunk);
      bytes += chunk.length;
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
  return { file, bytes };
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req as AsyncIterable<Buffer>) { /* discarded */ }
}

function xml(res: ServerResponse, body: string): void {
  res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sink');
  const [bucket = '', ...rest] = url.pathname.slice(1).split('/');
  const key = rest.join('/');
  if (req.method === 'PUT' && key) {
    const { file } = await writeDurably(req);
    res.writeHead(200, { etag: `"${randomUUID().replace(/-/g, '')}"`, 'content-length': 0 });
    res.end();
    await unlink(file).catch(() => {});
    return;
  }
  await drain(req);
  if (req.method === 'POST' && url.searchParams.has('uploads')) {
    return xml(res, `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult><Bucket>${bucket}</Bucket>`
      + `<Key>${key}</Key><UploadId>${randomUUID()}</UploadId></InitiateMultipartUploadResult>`);
  }
  if (req.method === 'POST' && url.searchParams.has('uploadId')) {
    return xml(res, `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult><Bucket>${bucket}</Bucket>`
      + `<Key>${key}</Key><ETag>"sink-2"</ETag></CompleteMultipartUploadResult>`);
  }
  // CreateBucket, HEAD (socket warm-up), DELETE, abort: nothing to keep.
  res.writeHead(req.method === 'DELETE' ? 204 : 200, { 'content-length': 0 });
  res.end();
}

const server = createServer({ keepAliveTimeout: KEEP_ALIVE_MS, requestTimeout: 0 }, (req, res) => {
  handle(req, res).catch((err: unknown) => {
    if (!res.headersSent) res.writeHead(500, { 'content-length': 0 });
    res.end();
    process.stderr.write(`fsync-sink: ${(err as Error).message}\n`);
  });
});
server.listen(Number(values.port), '127.0.0.1', () => {
  const { port } = server.address() as { port: number };
  process.stdout.write(`READY ${JSON.stringify({ url: `http://127.0.0.1:${port}`, pid: process.pid })}\n`);
});

const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
const parent = process.ppid;
setInterval(() => { if (process.ppid !== parent) stop(); }, PARENT_CHECK_INTERVAL_MS).unref();
