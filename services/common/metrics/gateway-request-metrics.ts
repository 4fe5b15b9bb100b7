// The gateway's request metrics: every S3/OSS request (and every /_zonestore/ request) once it
// answered, by operation (ListObjectsV2, PutObject …; the reserved routes as admin|kms|metrics;
// requests that did not parse as `Unknown`) and HTTP status code. Both label sets are bounded:
// operations are the dialects' fixed list, statuses are three-digit codes.
import { Counter, Histogram } from 'prom-client';
import { LATENCY_BUCKETS_SECONDS, processRegistry } from './process-registry.ts';

const requests = new Counter({
  name: 'zonestore_gateway_requests_total', help: 'Requests the gateway answered, by operation and HTTP status',
  labelNames: ['operation', 'status'] as const, registers: [processRegistry],
});
const duration = new Histogram({
  name: 'zonestore_gateway_request_duration_seconds',
  help: 'Time from a request arriving to its response finishing, by operation and HTTP status',
  labelNames: ['operation', 'status'] as const, buckets: LATENCY_BUCKETS_SECONDS, registers: [processRegistry],
});
const received = new Counter({
  name: 'zonestore_gateway_received_bytes_total', help: 'Bytes the gateway read from clients (headers and bodies), by operation',
  labelNames: ['operation'] as const, registers: [processRegistry],
});
const sent = new Counter({
  name: 'zonestore_gateway_sent_bytes_total', help: 'Bytes the gateway wrote to clients (headers and bodies), by operation',
  labelNames: ['operation'] as const, registers: [processRegistry],
});

export interface AnsweredRequest {
  operation: string;
  status: number;
  seconds: number;
  bytesReceived: number;
  bytesSent: number;
}

/** One request that got its response (or lost its connection: status 0 is then reported as 499, nginx's "client closed"). */
export function recordGatewayRequest(r: AnsweredRequest): void {
  const status = String(r.status > 0 ? r.status : 499);
  requests.inc({ operation: r.operation, status });
  duration.observe({ operation: r.operation, status }, r.seconds);
  if (r.bytesReceived > 0) received.inc({ operation: r.operation }, r.bytesReceived);
  if (r.bytesSent > 0) sent.inc({ operation: r.operation }, r.bytesSent);
}
