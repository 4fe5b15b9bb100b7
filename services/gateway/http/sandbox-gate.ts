// The sandbox's rate limit and counts around authorization. authorize() decides who may use a
// sandboxed bucket (only its owner's account); this gate, for a request addressed to a
// sandboxed bucket, counts the refusals and lets the allowed ones through at the setting's
// requestsPerSecond on this gateway (503 SlowDown beyond it). Other buckets pass untouched.
import type { Bucket } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import { isStoreError, StoreError } from '../errors/store-error.ts';
import type { GatewayServices } from '../handlers/request-context.ts';
import { bucketSandbox } from '../handlers/sandbox-config.ts';

async function bucketOrNone(services: GatewayServices, name: string | undefined): Promise<Bucket | undefined> {
  if (name === undefined || name === '') return undefined;
  try {
    return await services.buckets.get(name);
  } catch {
    return undefined;
  }
}

export async function throughSandbox<T>(services: GatewayServices, bucketName: string | undefined, nowMs: () => number, authorize: () => Promise<T>): Promise<T> {
  const bucket = await bucketOrNone(services, bucketName);
  const setting = bucket ? bucketSandbox(bucket) : undefined;
  if (!bucket || !setting) {
    if (bucket) services.sandboxRate?.forget(bucket.name);
    return authorize();
  }
  let out: T;
  try {
    out = await authorize();
  } catch (err) {
    if (isStoreError(err, 'AccessDenied')) services.metrics?.sandboxRequest(bucket.name, 'denied');
    throw err;
  }
  if (services.sandboxRate && !services.sandboxRate.tryTake(bucket.name, setting.requestsPerSecond, nowMs())) {
    services.metrics?.sandboxRequest(bucket.name, 'throttled');
    throw new StoreError('SlowDown', 'Please reduce your request rate: the bucket is in the sandbox.', { BucketName: bucket.name });
  }
  services.metrics?.sandboxRequest(bucket.name, 'allowed');
  return out;
}
