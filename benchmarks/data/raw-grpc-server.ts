// The transport ceiling for bench:data: a grpc-js server (own process, like a data node) that
// streams and swallows bytes with no disk, no checksums and no protobuf — only HTTP/2 framing
// and grpc-js. Prints `READY {"address"}` on stdout; SIGTERM exits.
import * as grpc from '@grpc/grpc-js';
import { MAX_GET_FRAMES_IN_FLIGHT } from '../../services/data/data-service.ts';
import { WriteWindow } from '../../services/data/write-window.ts';
import { RAW_FRAME_BYTES, rawGrpcDefinition } from './raw-grpc-service.ts';

const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
const payload = Buffer.alloc(RAW_FRAME_BYTES, 0x5a);

const server = new grpc.Server({
  'grpc.max_receive_message_length': MAX_MESSAGE_BYTES,
  'grpc.max_send_message_length': MAX_MESSAGE_BYTES,
});
server.addService(rawGrpcDefinition, {
  get: (call: grpc.ServerWritableStream<Buffer, Buffer>) => {
    const total = call.request.readUInt32BE(0);
    // Same sending discipline as the data node's GetChunk, so only the disk work differs.
    const sending = new WriteWindow(MAX_GET_FRAMES_IN_FLIGHT);
    void (async () => {
      for (let sent = 0; sent < total && !call.cancelled; sent += RAW_FRAME_BYTES) {
        // A fresh buffer per frame, as a real server reading from disk has.
        const frame = Buffer.allocUnsafe(Math.min(RAW_FRAME_BYTES, total - sent));
        payload.copy(frame, 0, 0, frame.length);
        call.write(frame, sending.track());
        await sending.room();
      }
      call.end();
    })();
  },
  put: (call: grpc.ServerReadableStream<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => {
    let received = 0;
    call.on('data', (b: Buffer) => { received += b.length; });
    call.on('end', () => {
      const out = Buffer.alloc(4);
      out.writeUInt32BE(received >>> 0, 0);
      cb(null, out);
    });
  },
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
  if (err) throw err;
  process.stdout.write(`READY ${JSON.stringify({ address: `127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => server.tryShutdown(() => process.exit(0)));
