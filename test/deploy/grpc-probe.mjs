// A gRPC client run inside a container of the Docker tests (`node /app/grpc-probe.mjs '<json>'`,
// the image's node_modules beside it): plain JavaScript, since the image has no TypeScript.
// Each probe calls one method with request bytes made by the test and reports the status it got,
// so the test sees what a process on the cluster's network without (or with) a cluster
// certificate is allowed to do.
//   probe: { name, target: 'host:port', method: '/pkg.Service/Method', stream?: bool,
//            requestBase64, tls: 'none' | { ca, cert?, key? } (file paths) }
import { readFileSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';

const CALL_TIMEOUT_MS = 5_000;
const INTERNAL_TLS_NAME = 'zonestore.internal';
const identity = (b) => b;

function credentialsOf(tls) {
  if (tls === 'none') return grpc.credentials.createInsecure();
  const read = (f) => (f ? readFileSync(f) : null);
  return grpc.credentials.createSsl(read(tls.ca), read(tls.key), read(tls.cert));
}

function call(p) {
  const options = p.tls === 'none' ? {} : { 'grpc.ssl_target_name_override': INTERNAL_TLS_NAME, 'grpc.default_authority': INTERNAL_TLS_NAME };
  const client = new grpc.Client(p.target, credentialsOf(p.tls), options);
  const request = Buffer.from(p.requestBase64 ?? '', 'base64');
  const deadline = Date.now() + CALL_TIMEOUT_MS;
  const done = (resolve, code, details) => {
    client.close();
    resolve({ name: p.name, code, codeName: grpc.status[code], details: String(details ?? '').slice(0, 200) });
  };
  return new Promise((resolve) => {
    if (p.stream) {
      const s = client.makeServerStreamRequest(p.method, identity, identity, request, new grpc.Metadata(), { deadline });
      s.on('data', () => {});
      s.on('error', (err) => done(resolve, err.code, err.details));
      s.on('status', (st) => { if (st.code === grpc.status.OK) done(resolve, st.code, st.details); });
    } else {
      client.makeUnaryRequest(p.method, identity, identity, request, new grpc.Metadata(), { deadline },
        (err) => done(resolve, err ? err.code : grpc.status.OK, err ? err.details : ''));
    }
  });
}

// All at once: each is its own channel, and a name lookup on a loaded Docker host can take seconds.
const probes = JSON.parse(process.argv[2]);
const results = await Promise.all(probes.map(call));
process.stdout.write(`${JSON.stringify(results)}\n`);
