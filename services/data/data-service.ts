// The DataService gRPC handlers over a ChunkStore and a Scrubber. Payload is streamed both
// ways in bounded frames with backpressure honoured: a put holds at most the frames grpc-js
// buffers (its readable high-water mark, 16 frames), a get reads the next frame from disk only
// while fewer than MAX_GET_FRAMES_IN_FLIGHT are waiting to be sent.
import * as grpc from '@grpc/grpc-js';
import { create } from '@bufbuild/protobuf';
import type { Logger } from 'pino';
import {
  ChunkInfoSchema, DataService, DeleteChunkResponseSchema, GetChunkResponseSchema, ListChunksResponseSchema,
  NodeInfoResponseSchema, PutChunkResponseSchema, RunScrubResponseSchema, ScrubFinding_Kind, ScrubStatsSchema,
  StatChunkResponseSchema, type ChunkInfo, type GetChunkRequest, type GetChunkResponse, type PutChunkRequest,
  type PutChunkResponse,
} from '../common/gen/zonestore/data/v1/data_pb.ts';
import type { ServiceHandlers } from '../common/grpc/service-definition.ts';
import { ChunkError } from './chunk-error.ts';
import { toServiceError } from './chunk-error-status.ts';
import type { IndexEntry } from './chunk-index.ts';
import { MAX_LIST_PAGE, type ChunkStore } from './chunk-store.ts';
import type { Scrubber } from './scrubber.ts';
import { recordChunkRead, recordChunkWrite } from '../common/metrics/index.ts';
import { StreamIdleGuard } from './stream-idle-guard.ts';
import { WriteWindow } from './write-window.ts';

/** A put or get stream that moves no frame for this long is failed and its resources freed. */
export const STREAM_IDLE_TIMEOUT_MS = 30_000;
/** GetChunk frames handed to grpc-js and not yet sent, per stream (× READ_FRAME_BYTES of memory). */
export const MAX_GET_FRAMES_IN_FLIGHT = 4;
export const DEFAULT_LIST_PAGE = 1000;

export interface DataServiceContext {
  nodeId: string;
  zone: string;
  store: ChunkStore;
  scrubber: Scrubber;
  log: Logger;
  streamIdleTimeoutMs?: number;
}

type DataHandlers = ServiceHandlers<typeof DataService.method>;

export function chunkInfo(e: IndexEntry): ChunkInfo {
  return create(ChunkInfoSchema, {
    chunkId: e.chunkId, length: BigInt(e.length), crc32c: e.crc32c, createdUnixMs: BigInt(e.createdUnixMs),
  });
}

/** A uint64 field as a number; InvalidRequest beyond 2^53 (far above any chunk size). */
function safeNumber(value: bigint, field: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ChunkError('InvalidRequest', `${field} ${value} is too large`);
  return Number(value);
}

export function dataServiceHandlers(ctx: DataServiceContext): DataHandlers {
  const idleMs = ctx.streamIdleTimeoutMs ?? STREAM_IDLE_TIMEOUT_MS;
  const fail = (method: string, err: unknown) => {
    const status = toServiceError(err);
    if (status.code === grpc.status.INTERNAL) ctx.log.error({ err, method }, 'data service internal error');
    else if (status.code === grpc.status.DATA_LOSS) ctx.log.warn({ method, details: status.details }, 'damaged chunk');
    return status;
  };
  const unary = <Req, Res>(method: string, fn: (req: Req) => Promise<Res>) =>
    (call: grpc.ServerUnaryCall<Req, Res>, cb: grpc.sendUnaryData<Res>) => {
      fn(call.request).then((res) => cb(null, res), (err: unknown) => cb(fail(method, err)));
    };

  return {
    putChunk: (call, cb) => {
      const t0 = performance.now();
      receivePut(ctx.store, call, idleMs).then((res) => {
        recordChunkWrite(ctx.nodeId, (performance.now() - t0) / 1000, true);
        cb(null, res);
      }, (err: unknown) => {
        recordChunkWrite(ctx.nodeId, (performance.now() - t0) / 1000, false);
        cb(fail('PutChunk', err));
      });
    },
    getChunk: (call) => {
      const t0 = performance.now();
      sendChunk(ctx.store, call, idleMs).then(() => {
        recordChunkRead(ctx.nodeId, (performance.now() - t0) / 1000, !call.cancelled);
      }, (err: unknown) => {
        recordChunkRead(ctx.nodeId, (performance.now() - t0) / 1000, false);
        if (!call.cancelled) call.emit('error', fail('GetChunk', err));
      });
    },
    deleteChunk: unary('DeleteChunk', async (req) =>
      create(DeleteChunkResponseSchema, { chunk: chunkInfo(await ctx.store.delete(req.chunkId)) })),
    statChunk: unary('StatChunk', async (req) => {
      const entry = req.verify ? await ctx.store.verify(req.chunkId) : await ctx.store.stat(req.chunkId);
      return create(StatChunkResponseSchema, { chunk: chunkInfo(entry) });
    }),
    listChunks: unary('ListChunks', async (req) => {
      const pageSize = req.pageSize === 0 ? DEFAULT_LIST_PAGE : req.pageSize;
      const entries = await ctx.store.list(req.pageToken, pageSize);
      // A full page may be followed by more; the page after the last full one comes back empty.
      const last = entries.length === Math.min(pageSize, MAX_LIST_PAGE) ? entries[entries.length - 1] : undefined;
      return create(ListChunksResponseSchema, { chunks: entries.map(chunkInfo), nextPageToken: last?.chunkId ?? '' });
    }),
    nodeInfo: unary('NodeInfo', async () => {
      const usage = await ctx.store.usage();
      const m = ctx.scrubber.metrics;
      return create(NodeInfoResponseSchema, {
        nodeId: ctx.nodeId,
        zone: ctx.zone,
        capacityBytes: BigInt(usage.capacityBytes),
        usedBytes: BigInt(usage.usedBytes),
        chunkCount: BigInt(usage.chunkCount),
        filesystemFreeBytes: BigInt(usage.filesystemFreeBytes),
        scrub: create(ScrubStatsSchema, {
          passesCompleted: BigInt(m.passesCompleted),
          chunksChecked: BigInt(m.chunksChecked),
          bytesChecked: BigInt(m.bytesChecked),
          corruptFound: BigInt(m.corruptFound),
          missingFound: BigInt(m.missingFound),
          lastPassFinishedUnixMs: BigInt(m.lastPassFinishedUnixMs),
          corruptFoundByReads: BigInt(usage.readDamageFound),
        }),
      });
    }),
    runScrub: unary('RunScrub', async () => {
      const report = await ctx.scrubber.runPass();
      return create(RunScrubResponseSchema, {
        chunksChecked: BigInt(report.chunksChecked),
        bytesChecked: BigInt(report.bytesChecked),
        findingsTotal: BigInt(report.findingsTotal),
        findings: report.findings.map((f) => ({
          chunkId: f.chunkId,
          kind: f.kind === 'corrupt' ? ScrubFinding_Kind.CORRUPT : ScrubFinding_Kind.MISSING,
          detail: f.detail,
        })),
      });
    }),
  };
}

async function receivePut(
  store: ChunkStore,
  call: grpc.ServerReadableStream<PutChunkRequest, PutChunkResponse>,
  idleMs: number,
): Promise<PutChunkResponse> {
  const guard = new StreamIdleGuard(call, idleMs, 'put');
  const frames = call[Symbol.asyncIterator]() as AsyncIterator<PutChunkRequest>;
  const nextFrame = async (): Promise<PutChunkRequest | undefined> => {
    const r = await guard.race(frames.next());
    return r.done ? undefined : r.value;
  };
  const first = await nextFrame();
  if (first?.frame.case !== 'header') {
    throw new ChunkError('InvalidRequest', 'PutChunk: the first frame must be the header');
  }
  const header = first.frame.value;
  const begun = await store.beginPut({
    chunkId: header.chunkId, length: safeNumber(header.length, 'length'), crc32c: header.crc32c,
  }, { replaceDamaged: header.replaceDamaged });
  // An identical chunk is already stored: answer now; grpc-js drops the frames still coming.
  if (begun.kind === 'existing') return create(PutChunkResponseSchema, { chunk: chunkInfo(begun.entry), alreadyExisted: true });
  const put = begun.put;
  try {
    for (let frame = await nextFrame(); frame !== undefined; frame = await nextFrame()) {
      if (frame.frame.case !== 'data') {
        throw new ChunkError('InvalidRequest', `PutChunk ${header.chunkId}: only data frames may follow the header`, header.chunkId);
      }
      await put.write(frame.frame.value);
    }
    if (call.cancelled) throw new ChunkError('Cancelled', `PutChunk ${header.chunkId}: cancelled by the client`, header.chunkId);
    return create(PutChunkResponseSchema, { chunk: chunkInfo(await put.commit()), alreadyExisted: false, replacedDamaged: begun.replacing });
  } catch (err) {
    await put.abort();
    throw err;
  }
}

async function sendChunk(
  store: ChunkStore,
  call: grpc.ServerWritableStream<GetChunkRequest, GetChunkResponse>,
  idleMs: number,
): Promise<void> {
  const req = call.request;
  const { reader, offset, length } = await store.openRead(
    req.chunkId, safeNumber(req.offset, 'offset'), safeNumber(req.length, 'length'),
  );
  const guard = new StreamIdleGuard(call, idleMs, 'get');
  const sending = new WriteWindow(MAX_GET_FRAMES_IN_FLIGHT);
  try {
    let first = true;
    for await (const frame of reader.frames(offset, length)) {
      if (call.cancelled) return;
      call.write(create(GetChunkResponseSchema, {
        chunk: first ? chunkInfo(reader.entry) : undefined, offset: BigInt(frame.offset), data: frame.data,
      }), sending.track());
      first = false;
      await guard.race(sending.room());
    }
    if (first) call.write(create(GetChunkResponseSchema, { chunk: chunkInfo(reader.entry), offset: BigInt(offset) }));
    call.end();
  } finally {
    await reader.close();
  }
}
