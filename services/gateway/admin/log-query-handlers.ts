// The admin API's log query (cluster admin only): POST /logs/query {bucket?, since, where?,
// groupBy?, top?} over this gateway's recent-records index (access-log/recent-log-index.ts).
// It answers for the records THIS gateway captured; `zonestore logs query` asks every gateway
// and merges.
import { StoreError } from '../errors/store-error.ts';
import { isGroupField } from '../access-log/recent-log-index.ts';
import { parseDuration, parseWhere, WhereSyntaxError } from '../access-log/where-expression.ts';
import { parseJsonBody } from './admin-requests.ts';
import type { AdminAnswer, AdminCall } from './identity-handlers.ts';

const MAX_TOP = 10_000;

export const logQueryHandlers = {
  async queryLogs(c: AdminCall): Promise<AdminAnswer> {
    const pipeline = c.services.accessLog;
    if (!pipeline) throw new StoreError('NotImplemented', 'this gateway runs without access logging');
    const body = (parseJsonBody(c.body) ?? {}) as Record<string, unknown>;
    const since = typeof body.since === 'string' ? body.since : '1h';
    const sinceMs = parseDuration(since);
    if (sinceMs === undefined) throw new StoreError('InvalidArgument', `since must be a duration like 30m, 1h or 2d, not '${since}'`);
    if (body.bucket !== undefined && typeof body.bucket !== 'string') throw new StoreError('InvalidArgument', 'bucket must be a string');
    let where;
    if (typeof body.where === 'string' && body.where.trim() !== '') {
      try {
        where = parseWhere(body.where);
      } catch (err) {
        if (err instanceof WhereSyntaxError) throw new StoreError('InvalidArgument', `where: ${err.message}`);
        throw err;
      }
    }
    if (body.groupBy !== undefined && (typeof body.groupBy !== 'string' || !isGroupField(body.groupBy))) {
      throw new StoreError('InvalidArgument', 'groupBy must be one of remoteIp, operation, status, bucket, errorCode, requester, key');
    }
    const top = body.top === undefined ? 10 : Number(body.top);
    if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) throw new StoreError('InvalidArgument', `top must be an integer from 1 to ${MAX_TOP}`);
    const started = performance.now();
    const result = pipeline.index.query({
      bucket: body.bucket as string | undefined, sinceMs: Date.now() - sinceMs, where,
      groupBy: body.groupBy as Parameters<typeof pipeline.index.query>[0]['groupBy'], top,
    });
    return { status: 200, body: { gateway: pipeline.hostId, tookMs: Math.round((performance.now() - started) * 100) / 100, ...result } };
  },
};
