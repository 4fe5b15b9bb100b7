// bench:logquery — 1M access-log records in one gateway's recent-records index, then the
// queries `zonestore logs query` sends: a filter, a filter with group-by, a group-by alone.
// Prints each query's time (best of 5) and the peak heap; exits non-zero if any takes ≥ 1 s.
import os from 'node:os';
import { RecentLogIndex } from '../../services/gateway/access-log/recent-log-index.ts';
import { parseWhere } from '../../services/gateway/access-log/where-expression.ts';
import type { AccessLogRecord } from '../../services/gateway/access-log/access-log-record.ts';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
const OPS = ['GetObject', 'PutObject', 'HeadObject', 'DeleteObject', 'ListObjectsV2'];
const STATUSES = [200, 200, 200, 204, 206, 304, 403, 404, 500];
const now = Date.now();
const index = new RecentLogIndex(6 * 3_600_000, 2_000_000);
const t0 = performance.now();
for (let i = 0; i < ROWS; i++) {
  const r: AccessLogRecord = {
    id: `r${i}`, timeMs: now - 3_600_000 + (i * 3_600_000) / ROWS, remoteIp: `10.0.${(i * 7) % 250}.${(i * 13) % 200}`, method: 'GET',
    requestUri: '/', httpVersion: '1.1', status: STATUSES[(i * 31) % STATUSES.length]!, bytesSent: i % 65536, requestTimeMs: i % 300,
    serverTimeMs: 1, referer: '', userAgent: '', host: '', requestId: `q${i}`, requester: `acct-${i % 20}`, accessKeyId: '',
    operation: OPS[(i * 17) % OPS.length]!, bucket: `bucket-${i % 8}`, key: `k${i % 50_000}`, errorCode: '', requestLength: 0,
    bucketOwner: '', signatureVersion: '', hostId: '', kind: 'access',
  };
  index.add(r);
}
const loadMs = performance.now() - t0;
const queries = [
  { name: "--bucket bucket-3 --since 1h --where 'status>=400 and operation=GetObject'", q: { bucket: 'bucket-3', sinceMs: now - 3_600_000, where: parseWhere('status>=400 and operation=GetObject') } },
  { name: "--since 1h --where 'status>=400' --group-by remoteIp --top 10", q: { sinceMs: now - 3_600_000, where: parseWhere('status>=400'), groupBy: 'remoteIp' as const, top: 10 } },
  { name: '--since 1h --group-by operation', q: { sinceMs: now - 3_600_000, groupBy: 'operation' as const } },
  { name: "--since 1h --where 'not (status<300) or key=k1*' --group-by status", q: { sinceMs: now - 3_600_000, where: parseWhere('not (status<300) or key=k1*'), groupBy: 'status' as const } },
];
console.log(`loaded ${index.rows} records in ${loadMs.toFixed(0)} ms; ${os.cpus()[0]?.model ?? '?'} x${os.cpus().length}, node ${process.version}`);
let worst = 0;
for (const { name, q } of queries) {
  let best = Infinity;
  let result;
  for (let k = 0; k < 5; k++) {
    const s = performance.now();
    result = index.query(q);
    best = Math.min(best, performance.now() - s);
  }
  worst = Math.max(worst, best);
  console.log(`${best.toFixed(1).padStart(8)} ms  scanned ${result!.scanned} matched ${result!.matched}  ${name}`);
}
console.log(`heap used ${(process.memoryUsage().heapUsed / 2 ** 20).toFixed(0)} MiB`);
if (worst >= 1000) { console.error(`slowest query ${worst.toFixed(0)} ms ≥ 1 s`); process.exit(1); }
