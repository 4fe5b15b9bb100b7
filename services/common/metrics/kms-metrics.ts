// KMS calls, by operation (the KMS API's operation names, `Unknown` for an unrecognised target)
// and outcome (`ok`, or the refusal's error type, e.g. NotFoundException; `KMSInternalException`
// for failures). Both sets are the API's fixed lists, so the series stay bounded.
import { Counter } from 'prom-client';
import { processRegistry } from './process-registry.ts';

const calls = new Counter({
  name: 'zonestore_kms_requests_total', help: 'KMS API calls, by operation and outcome (ok or the error type)',
  labelNames: ['operation', 'outcome'] as const, registers: [processRegistry],
});

export function recordKmsCall(operation: string, outcome: string): void {
  calls.inc({ operation, outcome });
}
