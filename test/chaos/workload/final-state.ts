// The final look at a healed cluster: every key read through every gateway, and every gateway's
// listing of the run's prefix. Reads are recorded in the run's history (as one more client), so
// the linearizability checker covers them too; a failed read is retried a bounded number of
// times, since a just-healed zone may still be catching up.
import type { RegisterResult } from '../linearizability/index.ts';
import type { HistoryRecorder } from './history-recorder.ts';
import { listKeys, runRegisterCall } from './s3-register-client.ts';
import { type S3Credentials, workloadS3Client } from './s3-workload.ts';

export const FINAL_READ_ATTEMPTS = 10;
export const FINAL_READ_PAUSE_MS = 500;

export interface FinalRead {
  endpoint: string;
  key: string;
  /** The last attempt's result: a read, or a failure after every attempt. */
  result: RegisterResult;
  corrupt: boolean;
}

export interface FinalListing {
  endpoint: string;
  /** null when every attempt failed. */
  keys: Set<string> | null;
  error?: string;
}

export interface FinalState {
  reads: FinalRead[];
  listings: FinalListing[];
}

export async function observeFinalState(o: {
  endpoints: readonly string[]; credentials: S3Credentials; region?: string; bucket: string; keyPrefix: string;
  keys: readonly string[]; recorder: HistoryRecorder; client: number; timeoutMs: number;
  attempts?: number; pauseMs?: number;
}): Promise<FinalState> {
  const attempts = o.attempts ?? FINAL_READ_ATTEMPTS;
  const pause = () => new Promise((r) => setTimeout(r, o.pauseMs ?? FINAL_READ_PAUSE_MS));
  const reads: FinalRead[] = [];
  const listings: FinalListing[] = [];
  for (const endpoint of o.endpoints) {
    const s3 = workloadS3Client(endpoint, o.credentials, o.region);
    const target = { s3, bucket: o.bucket, timeoutMs: o.timeoutMs };
    try {
      for (const key of o.keys) {
        for (let i = 1; ; i++) {
          const p = o.recorder.begin(o.client, key, { f: 'get' });
          const r = await runRegisterCall(target, key, { f: 'get' });
          o.recorder.end(p, r.result, { endpoint, error: r.error });
          if (r.result.type === 'read' || i >= attempts) {
            reads.push({ endpoint, key, result: r.result, corrupt: r.corrupt === true });
            break;
          }
          await pause();
        }
      }
      for (let i = 1; ; i++) {
        const listed = await listKeys(target, o.keyPrefix);
        if ('keys' in listed) {
          listings.push({ endpoint, keys: listed.keys });
          break;
        }
        if (i >= attempts) {
          listings.push({ endpoint, keys: null, error: listed.error });
          break;
        }
        await pause();
      }
    } finally {
      s3.destroy();
    }
  }
  return { reads, listings };
}
