// ali-oss clients against the local cluster, as users point them at it: an IP endpoint (the SDK
// then sends virtual-hosted requests with `Host: <bucket>.oss-<region>.aliyuncs.com`), or a
// hostname endpoint with `sldEnable` (path-style). The gateways listen on the zones' addresses,
// so `localhost` reaches one through a small loopback forwarder started (and stopped) here.
import { createServer, type Server, connect, type Socket } from 'node:net';
import OSS from 'ali-oss';
import type { RootCredentials } from '../../../services/gateway/credentials/root-credentials.ts';

export const OSS_REGION = 'oss-cn-hangzhou';
/** Each request of the tests; a hang fails the test instead of the suite. */
export const OSS_TIMEOUT_MS = 60_000;

// The SDK's typings miss a few methods it has (tagging, bucket stat): reached through this view.
export type OssClient = OSS & {
  putObjectTagging(name: string, tag: Record<string, string>, options?: object): Promise<{ status: number }>;
  getObjectTagging(name: string, options?: object): Promise<{ status: number; tag: Record<string, string> }>;
  deleteObjectTagging(name: string, options?: object): Promise<{ status: number }>;
  getBucketStat(name?: string): Promise<{ status: number; stat: Record<string, string> }>;
  getBucketInfo(name?: string): Promise<{ bucket: Record<string, unknown> }>;
  getObjectMeta(name: string, options?: object): Promise<{ status: number; res: { headers: Record<string, string> } }>;
};

export function ossClient(endpoint: string, credentials: RootCredentials, extra: Record<string, unknown> = {}): OssClient {
  return new OSS({
    endpoint, region: OSS_REGION, accessKeyId: credentials.accessKeyId, accessKeySecret: credentials.secretAccessKey,
    secure: false, timeout: OSS_TIMEOUT_MS, ...extra,
  } as OSS.Options) as OssClient;
}

/** Forwards 127.0.0.1:<port> to `target` (host:port), for hostname (`localhost`) endpoints. */
export async function startLoopbackForwarder(target: string): Promise<{ port: number; close(): Promise<void> }> {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<Socket>();
  const server: Server = createServer((inbound) => {
    const outbound = connect({ host, port });
    sockets.add(inbound).add(outbound);
    inbound.pipe(outbound).pipe(inbound);
    const done = (): void => {
      inbound.destroy();
      outbound.destroy();
      sockets.delete(inbound);
      sockets.delete(outbound);
    };
    inbound.on('error', done).on('close', done);
    outbound.on('error', done).on('close', done);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('forwarder has no address');
  return {
    port: address.port,
    close: () => new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** The OSS error code an ali-oss call failed with. */
export async function ossErrorCode(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return (err as { code?: string }).code ?? (err as Error).name;
  }
  throw new Error('expected the call to fail');
}
