// Applying placement-map commands (data nodes joining and reporting health) and garbage
// acknowledgements from the GC worker.
import { create } from '@bufbuild/protobuf';
import { ChangeKind, DataNodeSchema, DataNodeState } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import {
  AckGarbageResponseSchema, RegisterDataNodeResponseSchema, ReportDataNodeHealthResponseSchema,
  type AckGarbageRequest, type AckGarbageResponse, type RegisterDataNodeRequest, type RegisterDataNodeResponse,
  type ReportDataNodeHealthRequest, type ReportDataNodeHealthResponse,
} from '../../common/gen/zonestore/meta/v1/meta_service_pb.ts';
import { MAX_NODE_FIELD_LENGTH } from '../limits.ts';
import { MetaError } from '../meta-error.ts';
import type { ApplyContext } from '../state/apply-context.ts';
import { garbageKeyOfId, key } from '../state/meta-keys.ts';

function checkField(name: string, value: string): void {
  if (value.length === 0 || value.length > MAX_NODE_FIELD_LENGTH) {
    throw new MetaError('InvalidArgument', `data node ${name} must be 1 to ${MAX_NODE_FIELD_LENGTH} characters`);
  }
}

/** Adds a node, or updates its zone/address/capacity when it registers again (after a restart). */
export async function applyRegisterDataNode(ctx: ApplyContext, req: RegisterDataNodeRequest): Promise<RegisterDataNodeResponse> {
  checkField('id', req.id);
  checkField('zone', req.zone);
  checkField('address', req.address);
  const old = await ctx.get(DataNodeSchema, key.dataNode(req.id));
  const node = create(DataNodeSchema, {
    id: req.id, zone: req.zone, address: req.address, state: DataNodeState.UP,
    capacityBytes: req.capacityBytes, usedBytes: old?.usedBytes ?? 0n,
    registeredMs: old?.registeredMs ?? ctx.stamp.timeMs, reportedMs: ctx.stamp.timeMs,
  });
  ctx.put(key.dataNode(req.id), DataNodeSchema, node);
  ctx.change({ kind: ChangeKind.DATA_NODE_CHANGED, detail: req.id });
  return create(RegisterDataNodeResponseSchema, { node });
}

export async function applyReportDataNodeHealth(ctx: ApplyContext, req: ReportDataNodeHealthRequest): Promise<ReportDataNodeHealthResponse> {
  const old = await ctx.get(DataNodeSchema, key.dataNode(req.id));
  if (!old) throw new MetaError('NoSuchDataNode', `data node ${req.id} is not registered`, { node: req.id });
  const state = req.state === DataNodeState.UNSPECIFIED ? old.state : req.state;
  const node = create(DataNodeSchema, {
    ...old, state, capacityBytes: req.capacityBytes, usedBytes: req.usedBytes, reportedMs: ctx.stamp.timeMs,
  });
  ctx.put(key.dataNode(req.id), DataNodeSchema, node);
  // Capacity reports are frequent; only state transitions are worth a feed entry.
  if (state !== old.state) ctx.change({ kind: ChangeKind.DATA_NODE_CHANGED, detail: req.id });
  return create(ReportDataNodeHealthResponseSchema, { node });
}

export async function applyAckGarbage(ctx: ApplyContext, req: AckGarbageRequest): Promise<AckGarbageResponse> {
  let removed = 0;
  for (const id of req.ids) {
    const k = garbageKeyOfId(id);
    if (!k) throw new MetaError('InvalidArgument', `bad garbage item id ${JSON.stringify(id)}`);
    if (await ctx.getRaw(k)) {
      ctx.del(k);
      removed++;
    }
  }
  return create(AckGarbageResponseSchema, { removed });
}
