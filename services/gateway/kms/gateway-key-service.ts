// The gateway's key service: services/kms/ over meta, key policies checked with the gateway's
// evaluator, and a periodic sweep that proposes due rotations and deletions (apply stays
// deterministic: each proposal is judged by its command's time_ms).
import type { Logger } from 'pino';
import type { MetaClient } from '../../meta/client/meta-client.ts';
import { KeyService } from '../../kms/key-service.ts';
import { KMS_SWEEP_INTERVAL_MS } from '../../kms/kms-limits.ts';
import { parsePolicy } from '../authz/index.ts';
import { MetaKmsKeyStore } from './meta-kms-key-store.ts';

export interface GatewayKeyService {
  keys: KeyService;
  stop(): void;
}

export function startGatewayKeyService(o: { meta: MetaClient; rootKey: Buffer; region: string; log: Logger; sweepIntervalMs?: number }): GatewayKeyService {
  const keys = new KeyService({
    store: new MetaKmsKeyStore(o.meta), rootKey: o.rootKey, region: o.region,
    checkPolicy: (text) => {
      const r = parsePolicy(text, 'bucket');
      return r.ok ? undefined : r.error.message;
    },
    onBackgroundError: (err, what) => o.log.warn({ err }, `kms: ${what} failed`),
  });
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    keys.sweepDue().then(
      (r) => { if (r.rotated + r.deleted > 0) o.log.info(r, 'kms: due keys rotated / deleted'); },
      (err: unknown) => o.log.warn({ err }, 'kms: sweep failed'),
    ).finally(() => { running = false; });
  }, o.sweepIntervalMs ?? KMS_SWEEP_INTERVAL_MS);
  timer.unref();
  return { keys, stop: () => clearInterval(timer) };
}
