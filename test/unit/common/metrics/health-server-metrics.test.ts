// A role's health server /metrics (what compose and Helm scrape) serves the readiness gauges and
// then the whole process registry: a replica registered in this process shows up there.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthServer } from '../../../../services/common/health-server.ts';
import { raftSources } from '../../../../services/common/metrics/index.ts';

test('health server /metrics: readiness gauges, process metrics and every registered zonestore metric', async () => {
  const health = await HealthServer.start({ host: '127.0.0.1', port: 0, role: 'meta', checks: { leader: async () => undefined } });
  const remove = raftSources.add('meta-9', () => ({ term: 7, isLeader: true, leader: 'meta-9', commit: 5, applied: 5, voters: 3 }));
  try {
    const res = await fetch(`http://${health.address}/metrics`, { signal: AbortSignal.timeout(5_000) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain/);
    const text = await res.text();
    assert.match(text, /^zonestore_ready\{role="meta"\} 1$/m);
    assert.match(text, /^zonestore_readiness_check\{role="meta",check="leader"\} 1$/m);
    assert.match(text, /^zonestore_raft_term\{replica="meta-9"\} 7$/m);
    assert.match(text, /^# TYPE zonestore_gateway_requests_total counter$/m);
    assert.match(text, /^process_cpu_seconds_total \S+$/m);
    // One family per name: no duplicate TYPE lines between the two halves.
    const types = [...text.matchAll(/^# TYPE (\S+)/gm)].map((m) => m[1]);
    assert.equal(new Set(types).size, types.length);
  } finally {
    remove();
    await health.stop();
  }
});
