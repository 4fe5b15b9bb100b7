// The physical limits as bench targets: nginx for reads (seeded with files, not PUTs) and the
// fsync sink for writes, driven by the same S3 client as every other target, so the ratio
// "zonestore / limit" compares servers, the client's own cost being equal on both sides.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchS3Client, type BenchClientOptions } from '../bench-s3-client.ts';
import { fileSeeder, type BenchTarget } from '../bench-target.ts';
import { startNginx } from './nginx-server.ts';
import { ReadyChild } from './ready-child.ts';

const SINK_ENTRY = fileURLToPath(new URL('./fsync-sink-main.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');
/** Neither limit server checks signatures; the SDK still needs some key to sign with. */
const ANY_CREDENTIALS = { accessKeyId: 'limit', secretAccessKey: 'limit' };

export async function startNginxTarget(clientOpts: BenchClientOptions, log: (line: string) => void): Promise<BenchTarget> {
  const nginx = await startNginx(log);
  const client = benchS3Client(nginx.url, ANY_CREDENTIALS, clientOpts);
  return {
    label: 'nginx (limit)', kind: 'nginx', endpoints: [nginx.url], capabilities: new Set(['read']), throwaway: true,
    client: () => client, clients: () => [client], servers: () => [{ name: 'nginx', pid: nginx.process.pid }],
    seedObject: fileSeeder(nginx.root),
    stop: async () => {
      client.destroy();
      await nginx.process.stop();
    },
    killNow: () => nginx.process.killNow(),
  };
}

export async function startSinkTarget(clientOpts: BenchClientOptions): Promise<BenchTarget> {
  const dir = mkdtempSync(join(tmpdir(), 'zonestore-bench-sink-'));
  const { child, info } = await ReadyChild.start('the fsync sink', process.execPath,
    ['--import', TSX_LOADER, SINK_ENTRY, '--port', '0', '--dir', dir], dir,
    (c) => new Promise<{ url: string }>((resolve) => {
      createInterface({ input: c.stdout! }).on('line', (line) => {
        if (line.startsWith('READY ')) resolve(JSON.parse(line.slice('READY '.length)) as { url: string });
      });
    }));
  const client = benchS3Client(info.url, ANY_CREDENTIALS, clientOpts);
  return {
    label: 'fsync sink (limit)', kind: 'fsync-sink', endpoints: [info.url], capabilities: new Set(['write', 'multipart']), throwaway: true,
    client: () => client, clients: () => [client], servers: () => [{ name: 'sink', pid: child.pid }],
    stop: async () => {
      client.destroy();
      await child.stop();
    },
    killNow: () => child.killNow(),
  };
}
