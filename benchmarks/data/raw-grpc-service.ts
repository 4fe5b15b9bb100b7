// The raw byte-streaming service of the transport-ceiling measurement (raw-grpc-server.ts)
// and its client side: Buffers in and out, identity serializers.
import * as grpc from '@grpc/grpc-js';
import { MAX_PUT_FRAMES_IN_FLIGHT } from '../../services/data/data-client.ts';
import { WriteWindow } from '../../services/data/write-window.ts';

/** Same frame size as the data node uses both ways. */
export const RAW_FRAME_BYTES = 256 * 1024;

const identity = (b: Buffer): Buffer => b;

export const rawGrpcDefinition: grpc.ServiceDefinition<grpc.UntypedServiceImplementation> = {
  get: {
    path: '/zonestore.bench.RawBytes/Get', requestStream: false, responseStream: true,
    requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity,
  },
  put: {
    path: '/zonestore.bench.RawBytes/Put', requestStream: true, responseStream: false,
    requestSerialize: identity, requestDeserialize: identity, responseSerialize: identity, responseDeserialize: identity,
  },
};

export class RawGrpcClient {
  private readonly client: grpc.Client;

  /** `channelOptions` should be the data client's, so both sides of the comparison match. */
  constructor(address: string, channelOptions: grpc.ChannelOptions) {
    this.client = new grpc.Client(address, grpc.credentials.createInsecure(), channelOptions);
  }

  /** Streams `data` in RAW_FRAME_BYTES frames, sending like DataNodeClient.putChunk. */
  async put(data: Uint8Array): Promise<void> {
    let settled = false;
    let call!: grpc.ClientWritableStream<Buffer>;
    const done = new Promise<void>((resolve, reject) => {
      call = this.client.makeClientStreamRequest<Buffer, Buffer>('/zonestore.bench.RawBytes/Put', identity, identity, (err) => {
        settled = true;
        if (err) reject(err);
        else resolve();
      });
    });
    const ended = done.catch(() => undefined);
    const sending = new WriteWindow(MAX_PUT_FRAMES_IN_FLIGHT);
    for (let off = 0; off < data.length && !settled; off += RAW_FRAME_BYTES) {
      const frame = Buffer.from(data.buffer, data.byteOffset + off, Math.min(RAW_FRAME_BYTES, data.length - off));
      call.write(frame, sending.track());
      await Promise.race([sending.room(), ended]);
    }
    call.end();
    await done;
  }

  /** Receives `bytes` bytes; returns how many arrived. */
  async get(bytes: number): Promise<number> {
    const req = Buffer.alloc(4);
    req.writeUInt32BE(bytes, 0);
    let got = 0;
    for await (const frame of this.client.makeServerStreamRequest<Buffer, Buffer>('/zonestore.bench.RawBytes/Get', identity, identity, req)) {
      got += (frame as Buffer).length;
    }
    return got;
  }

  close(): void {
    this.client.close();
  }
}
