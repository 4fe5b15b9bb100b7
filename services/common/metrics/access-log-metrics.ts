// Access-log delivery lag: how far log delivery is behind, set by the access-log delivery (issue
// #14's access logs) each time it looks at its buffer. One series per process, no bucket label
// (bucket names would make the series unbounded).
import { Gauge } from 'prom-client';
import { processRegistry } from './process-registry.ts';

const lag = new Gauge({
  name: 'zonestore_access_log_delivery_lag_seconds',
  help: 'Age of the oldest access-log record not yet delivered to its target bucket (0 when none waits)',
  registers: [processRegistry],
});
lag.set(0);

/** The age in seconds of the oldest record still waiting for delivery; 0 when everything is delivered. */
export function setAccessLogDeliveryLag(seconds: number): void {
  lag.set(Math.max(0, seconds));
}
