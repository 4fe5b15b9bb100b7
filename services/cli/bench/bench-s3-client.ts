// The S3 client every target is driven with, configured the same way for all of them so the
// client's own work (SigV4 with a SHA-256 of each payload over plain HTTP, keep-alive sockets)
// is equal and a side-by-side compares the servers.
import { Agent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';

/** Above any concurrency the tool allows (MAX_CONCURRENCY), so a worker never queues for a socket. */
export const MAX_SOCKETS_PER_CLIENT = 1024;

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
}

export type ChecksumMode = 'required' | 'supported';

export interface BenchClientOptions {
  region: string;
  /**
   * `required`: the SDK adds checksums only where an operation demands one (s3rver cannot
   * decode the aws-chunked bodies a checksum trailer needs); `supported`: the SDK's default, a
   * CRC32 on every upload.
   */
  checksums: ChecksumMode;
  /** Per request, socket to last byte. */
  requestTimeoutMs: number;
}

export function benchS3Client(endpoint: string, credentials: Credentials, opts: BenchClientOptions): S3Client {
  const mode = opts.checksums === 'required' ? 'WHEN_REQUIRED' : 'WHEN_SUPPORTED';
  // An explicit keep-alive agent: without one the SDK opens a fresh, non-keep-alive connection
  // for every PUT that sends Expect: 100-continue (bodies above 1 MiB).
  const agent = { keepAlive: true, maxSockets: MAX_SOCKETS_PER_CLIENT };
  return new S3Client({
    endpoint, region: opts.region, forcePathStyle: true, credentials, maxAttempts: 1,
    requestChecksumCalculation: mode, responseChecksumValidation: mode,
    requestHandler: {
      httpAgent: new Agent(agent), httpsAgent: new HttpsAgent(agent), requestTimeout: opts.requestTimeoutMs,
    },
  });
}

/** Credentials written into a URL (`http://KEY:SECRET@host:port`) and the URL without them. */
export function splitEndpoint(url: string): { endpoint: string; credentials?: Credentials } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`not an endpoint URL: ${url} (e.g. http://127.0.0.1:9000)`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${url}: only http:// and https:// endpoints`);
  const credentials = u.username
    ? { accessKeyId: decodeURIComponent(u.username), secretAccessKey: decodeURIComponent(u.password) } : undefined;
  u.username = '';
  u.password = '';
  return { endpoint: u.toString().replace(/\/$/, ''), credentials };
}
