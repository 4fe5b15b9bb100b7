// The process's metrics: importing this module registers every zonestore metric on the one
// process registry (each file below defines its area's metrics once).
export { LATENCY_BUCKETS_SECONDS, MetricSources, processMetricsText, processRegistry, PROMETHEUS_TEXT_CONTENT_TYPE } from './process-registry.ts';
export { recordGatewayRequest, type AnsweredRequest } from './gateway-request-metrics.ts';
export { raftObserverFor, raftSources, type RaftMetricSource } from './raft-metrics.ts';
export { dataNodeSources, recordChunkRead, recordChunkWrite, type DataNodeMetricSource } from './data-node-metrics.ts';
export { repairSources, type RepairMetricSource } from './repair-metrics.ts';
export { recordKmsCall } from './kms-metrics.ts';
export { setAccessLogDeliveryLag } from './access-log-metrics.ts';
