// TLS end to end on a real three-zone cluster started with TLS (as `zonestore up` does): the
// gateways serve HTTPS with a certificate of the cluster's own CA, the AWS SDK trusting that CA
// works, `aws:SecureTransport` sees the truth, plain HTTP can be turned off, and internal gRPC is
// mutual TLS: a client without a certificate of the cluster CA can neither read chunks from a
// data node nor use a meta replica's API or Raft transport, and stores nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpsRequest } from 'node:https';
import { request as httpRequest } from 'node:http';
import { connect as tlsConnect } from 'node:tls';
import * as grpc from '@grpc/grpc-js';
import { CreateBucketCommand, GetObjectCommand, PutBucketPolicyCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { freePortPlan, waitFor } from '../cluster/cluster-fixture.ts';
import { LocalZoneCluster } from '../../../services/cli/zone/local-zone-cluster.ts';
import { collectClusterReport } from '../../../services/cli/status/cluster-report.ts';
import { plannedDataNodeIds } from '../../../services/cli/zone/zone-layout.ts';
import { createClient } from '../../../services/common/grpc/service-client.ts';
import { DataService } from '../../../services/common/gen/zonestore/data/v1/data_pb.ts';
import { MetaService } from '../../../services/common/gen/zonestore/meta/v1/meta_service_pb.ts';
import {
  createClusterCa, issueInternalCertificate, INTERNAL_TLS_NAME, gatewayFiles, useInternalTls,
} from '../../../services/common/tls/index.ts';
import { startGateway } from '../../../services/gateway/gateway.ts';
import { pino } from 'pino';
import { s3Client, errorStatus, FAST_ZONE_ARGS, CLUSTER_HEALTHY_LIMIT_MS } from '../../clients/s3-cluster-fixture.ts';

const TEST_TIMEOUT_MS = 180_000;
/** A refused call must fail within this (the handshake fails at once; retries are not wanted). */
const REFUSED_CALL_MS = 5_000;

function httpGet(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.setTimeout(REFUSED_CALL_MS, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

test('TLS: HTTPS gateway, SecureTransport, HTTPS-only, and internal mTLS refuses strangers', { timeout: TEST_TIMEOUT_MS }, async (t) => {
  const { root, specs } = await freePortPlan(3, 2);
  const cluster = new LocalZoneCluster(specs, { extraArgs: FAST_ZONE_ARGS, tls: true });
  t.after(async () => {
    await cluster.stopAll();
    useInternalTls(null);
    rmSync(root, { recursive: true, force: true });
  });
  const { credentials } = cluster.rootCredentials();
  const ready = await cluster.startAll();
  await waitFor('a healthy cluster', async () => (await collectClusterReport(cluster.metaApiAddresses, { expectedDataNodes: plannedDataNodeIds(specs) })).healthy, CLUSTER_HEALTHY_LIMIT_MS);
  const caPem = readFileSync(cluster.caFile, 'utf8');
  const httpsUrl = ready[0]!.gateway.httpsUrl!;
  assert.match(httpsUrl, /^https:\/\//);

  const secure = s3Client(httpsUrl, credentials, { requestHandler: new NodeHttpHandler({ httpsAgent: new Agent({ ca: caPem }) }) });
  const plain = s3Client(ready[1]!.gateway.url, credentials);
  t.after(() => { secure.destroy(); plain.destroy(); });

  await t.test('the SDK trusting the cluster CA talks HTTPS; untrusted it refuses the certificate', async () => {
    await secure.send(new CreateBucketCommand({ Bucket: 'tls-bucket' }));
    await secure.send(new PutObjectCommand({ Bucket: 'tls-bucket', Key: 'k', Body: 'hello over tls' }));
    const got = await secure.send(new GetObjectCommand({ Bucket: 'tls-bucket', Key: 'k' }));
    assert.equal(await got.Body!.transformToString(), 'hello over tls');
    const untrusted = s3Client(httpsUrl, credentials);
    await assert.rejects(untrusted.send(new GetObjectCommand({ Bucket: 'tls-bucket', Key: 'k' })), /self.signed|unable to verify|certificate/i);
    untrusted.destroy();
  });

  await t.test('aws:SecureTransport false → Deny: refused over http, allowed over https', async () => {
    await secure.send(new PutBucketPolicyCommand({
      Bucket: 'tls-bucket',
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::tls-bucket/*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
      }),
    }));
    await waitFor('the policy in force over http', async () => (await errorStatus(plain.send(new GetObjectCommand({ Bucket: 'tls-bucket', Key: 'k' })))) === 403, 10_000);
    const got = await secure.send(new GetObjectCommand({ Bucket: 'tls-bucket', Key: 'k' }));
    assert.equal(await got.Body!.transformToString(), 'hello over tls');
  });

  await t.test('plain HTTP turned off: only HTTPS answers', async () => {
    const files = gatewayFiles(cluster.tlsDir);
    const gw = await startGateway({
      host: specs[0]!.host, port: 0, plainHttp: false, metaAddresses: cluster.metaApiAddresses, localZone: 'zone-1',
      rootCredentials: credentials, log: pino({ level: 'silent' }),
      tls: { certPem: readFileSync(files.certFile, 'utf8'), keyPem: readFileSync(files.keyFile, 'utf8'), port: 0 },
    });
    try {
      assert.match(gw.url, /^https:\/\//);
      assert.equal(gw.address, gw.httpsAddress);
      await assert.rejects(httpGet(`http://${gw.address}/`));
      const status = await new Promise<number>((resolve, reject) => {
        const req = httpsRequest(`${gw.url}/`, { ca: caPem }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
        req.on('error', reject);
        req.end();
      });
      assert.equal(status, 403); // anonymous ListBuckets: refused by authorization, but served over TLS
    } finally {
      await gw.stop();
    }
  });

  const stranger = createClusterCa({ now: new Date() });
  const strangerCert = issueInternalCertificate(stranger, { commonName: 'intruder', now: new Date() });
  const opts = { 'grpc.ssl_target_name_override': INTERNAL_TLS_NAME, 'grpc.initial_reconnect_backoff_ms': 100 };
  const impostors: Array<[string, grpc.ChannelCredentials]> = [
    ['no TLS at all', grpc.credentials.createInsecure()],
    ['TLS without a client certificate', grpc.credentials.createSsl(Buffer.from(caPem))],
    ['a certificate of another CA', grpc.credentials.createSsl(Buffer.from(caPem), Buffer.from(strangerCert.keyPem), Buffer.from(strangerCert.certPem))],
  ];

  await t.test('a data node refuses chunk reads from a client without a cluster certificate', async () => {
    const node = ready[0]!.dataNodes[0]!.address;
    for (const [what, creds] of impostors) {
      const c = createClient(DataService, node, { credentials: creds, channelOptions: opts });
      try {
        const err = await new Promise<grpc.ServiceError | null>((resolve) => {
          const s = c.getChunk({}, { timeoutMs: REFUSED_CALL_MS });
          s.on('data', () => {});
          s.on('error', (e: grpc.ServiceError) => resolve(e));
          s.on('end', () => resolve(null));
        });
        assert.ok(err, `${what}: the read was served`);
        assert.ok([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED].includes(err.code), `${what}: ${err.code} ${err.details}`);
        await assert.rejects(c.nodeInfo({}, { timeoutMs: REFUSED_CALL_MS }), (e: grpc.ServiceError) => e.code === grpc.status.UNAVAILABLE || e.code === grpc.status.DEADLINE_EXCEEDED);
      } finally {
        c.close();
      }
    }
  });

  await t.test('a meta replica refuses API calls and stores nothing; its Raft port refuses the handshake', async () => {
    for (const [i, [what, creds]] of impostors.entries()) {
      const c = createClient(MetaService, cluster.metaApiAddresses[0]!, { credentials: creds, channelOptions: opts });
      try {
        await assert.rejects(c.createBucket({ name: `intruder-${i}`, owner: 'x', region: 'us-east-1' }, { timeoutMs: REFUSED_CALL_MS }),
          (e: grpc.ServiceError) => e.code === grpc.status.UNAVAILABLE || e.code === grpc.status.DEADLINE_EXCEEDED, what);
      } finally {
        c.close();
      }
    }
    // The cluster's own certificate (installed for this process by the launcher) works, and shows nothing was stored.
    const good = createClient(MetaService, cluster.metaApiAddresses[0]!);
    try {
      const list = await good.listBuckets({}, { timeoutMs: REFUSED_CALL_MS });
      const names = list.buckets.map((b) => b.name).join(',');
      assert.match(names, /tls-bucket/);
      assert.doesNotMatch(names, /intruder/);
    } finally {
      good.close();
    }
    const [host, port] = specs[0]!.metaRaftAddress.split(':') as [string, string];
    const handshake = (cert?: { key: string; cert: string }): Promise<string> => new Promise((resolve) => {
      const s = tlsConnect({ host, port: Number(port), ca: caPem, servername: INTERNAL_TLS_NAME, ALPNProtocols: ['h2'], ...cert });
      s.setTimeout(REFUSED_CALL_MS, () => { s.destroy(); resolve('timeout'); });
      s.on('secureConnect', () => {
        // TLS 1.3: a refused client certificate shows as an alert right after the handshake.
        s.once('data', () => resolve('data'));
        s.once('close', () => resolve('closed'));
        s.write(Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'));
      });
      s.on('error', (e) => resolve(`error: ${e.message}`));
    });
    assert.match(await handshake(), /error|closed/);
    assert.match(await handshake({ key: strangerCert.keyPem, cert: strangerCert.certPem }), /error|closed/);
  });
});
