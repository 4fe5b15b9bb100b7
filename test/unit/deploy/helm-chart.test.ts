// The Helm chart, checked without a Kubernetes cluster or the helm binary (neither the npm
// registry nor Debian ships helm): rendered with default and three-zone values by the test's
// template evaluator, every manifest validated against the Kubernetes JSON schema of its kind
// (kubernetes-models, generated from the Kubernetes OpenAPI spec; the CRDs' from their models),
// and the properties the chart promises checked on what it renders.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { Certificate } from '@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { CHART_DIR, renderChart, type RenderedChart } from './helm/chart-render.ts';
import { metaPeersField } from '../../../services/cli/roles/role-config.ts';
import { internalTlsProblems } from '../../../services/common/tls/index.ts';
import { parseKmsRootKey } from '../../../services/kms/root-key-file.ts';

const MODELS: Record<string, new (data: any) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap, 'v1/Secret': Secret, 'v1/Service': Service,
  'apps/v1/StatefulSet': StatefulSet, 'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget, 'networking.k8s.io/v1/Ingress': Ingress,
  'cert-manager.io/v1/Certificate': Certificate,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor, 'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
};
const THREE_ZONES = join(CHART_DIR, 'ci', 'three-zones-values.yaml');
const ALL_APIS = ['monitoring.coreos.com/v1', 'cert-manager.io/v1'];

function validateAll(r: RenderedChart): void {
  assert.ok(r.manifests.length > 0);
  for (const m of r.manifests) {
    const key = `${m.apiVersion}/${m.kind}`;
    const Model = MODELS[key];
    assert.ok(Model, `no schema for ${key} (${m.metadata?.name})`);
    assert.doesNotThrow(() => new Model(m).validate(), (err: Error) => `${key} ${m.metadata?.name}: ${err.message}`);
    assert.match(m.metadata.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, `${key} name is a DNS label`);
    assert.ok(m.metadata.name.length <= 63, `${m.metadata.name} fits in 63 characters`);
  }
  const names = r.manifests.map((m) => `${m.kind}/${m.metadata.name}`);
  assert.equal(new Set(names).size, names.length, 'no two objects share a kind and name');
}

const ofKind = (r: RenderedChart, kind: string): Array<Record<string, any>> => r.manifests.filter((m) => m.kind === kind);
const component = (m: Record<string, any>): string => m.metadata.labels['app.kubernetes.io/component'];

for (const [label, opts] of [
  ['default values', {}],
  ['default values, Prometheus operator and cert-manager present', { apiVersions: ALL_APIS }],
  ['three-zone values', { valuesFiles: [THREE_ZONES], apiVersions: ALL_APIS }],
] as const) {
  test(`renders with ${label}; every manifest validates against its kind's schema`, () => {
    validateAll(renderChart(opts));
  });
}

test('one meta replica per zone: StatefulSets of one, anti-affinity and spread on topology.kubernetes.io/zone', () => {
  const r = renderChart({ valuesFiles: [THREE_ZONES], apiVersions: ALL_APIS });
  const metas = ofKind(r, 'StatefulSet').filter((s) => component(s) === 'meta');
  assert.equal(metas.length, 3);
  for (const [i, s] of metas.entries()) {
    assert.equal(s.spec.replicas, 1);
    const pod = s.spec.template.spec;
    const anti = pod.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0];
    assert.equal(anti.topologyKey, 'topology.kubernetes.io/zone');
    assert.equal(anti.labelSelector.matchLabels['app.kubernetes.io/component'], 'meta');
    assert.deepEqual(pod.topologySpreadConstraints[0], {
      maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule',
      labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'zonestore', 'app.kubernetes.io/instance': 'zs', 'app.kubernetes.io/component': 'meta' } },
    });
    const pinned = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0];
    assert.deepEqual(pinned, { key: 'topology.kubernetes.io/zone', operator: 'In', values: [r.values.zones[i].topologyZone] });
    assert.equal(s.spec.volumeClaimTemplates[0].spec.storageClassName, 'gp3-iops');
  }
  // Default values pin nothing (no topologyZone) but still spread.
  const plain = ofKind(renderChart(), 'StatefulSet').filter((s) => component(s) === 'meta');
  for (const s of plain) {
    assert.equal(s.spec.template.spec.affinity.nodeAffinity, undefined);
    assert.equal(s.spec.volumeClaimTemplates[0].spec.storageClassName, undefined, 'no storage class: the cluster default');
  }
});

test('the meta PodDisruptionBudget covers every meta pod and allows one down at a time', () => {
  const r = renderChart();
  const pdbs = ofKind(r, 'PodDisruptionBudget').filter((p) => component(p) === 'meta');
  assert.equal(pdbs.length, 1);
  assert.equal(pdbs[0]!.spec.maxUnavailable, 1);
  assert.deepEqual(pdbs[0]!.spec.selector.matchLabels, { 'app.kubernetes.io/name': 'zonestore', 'app.kubernetes.io/instance': 'zs', 'app.kubernetes.io/component': 'meta' });
  for (const s of ofKind(r, 'StatefulSet').filter((x) => component(x) === 'meta')) {
    const labels = s.spec.template.metadata.labels;
    for (const [k, v] of Object.entries(pdbs[0]!.spec.selector.matchLabels)) assert.equal(labels[k], v);
  }
});

test('data StatefulSets, gateway Deployments, probes, resources, non-root, and the peers the roles parse', () => {
  const r = renderChart({ valuesFiles: [THREE_ZONES], apiVersions: ALL_APIS });
  const data = ofKind(r, 'StatefulSet').filter((s) => component(s) === 'data');
  assert.deepEqual(data.map((s) => s.spec.replicas), [4, 4, 4]);
  assert.deepEqual(data.map((s) => s.spec.volumeClaimTemplates[0].spec), Array(3).fill({ accessModes: ['ReadWriteOnce'], storageClassName: 'st1', resources: { requests: { storage: '2Ti' } } }));
  const gateways = ofKind(r, 'Deployment');
  assert.deepEqual(gateways.map((d) => d.spec.replicas), [2, 2, 2]);
  for (const w of [...ofKind(r, 'StatefulSet'), ...gateways]) {
    const pod = w.spec.template.spec;
    assert.equal(pod.securityContext.runAsNonRoot, true);
    for (const c of pod.containers) {
      assert.equal(c.readinessProbe.httpGet.path, '/readyz');
      assert.equal(c.livenessProbe.httpGet.path, '/livez');
      assert.ok(c.resources.requests.cpu && c.resources.limits.memory, `${w.metadata.name} has requests and limits`);
    }
  }
  const config = ofKind(r, 'ConfigMap')[0]!;
  const file = JSON.parse(config.data['zonestore.json']) as { metaPeers: string };
  const peers = metaPeersField.parse(file.metaPeers);
  assert.deepEqual(Object.keys(peers), ['meta-use1-az1', 'meta-use1-az2', 'meta-use1-az4']);
  assert.equal(peers['meta-use1-az1']!.apiAddress, 'zs-zonestore-meta-use1-az1-0.zs-zonestore-meta-use1-az1.storage.svc:7000');
  // Each peer address is a pod of a meta StatefulSet behind its headless Service.
  for (const s of ofKind(r, 'StatefulSet').filter((x) => component(x) === 'meta')) {
    assert.ok(Object.values(peers).some((p) => p.raftAddress.startsWith(`${s.metadata.name}-0.${s.spec.serviceName}.storage.svc:`)));
  }
  assert.equal(ofKind(r, 'Secret').length, 0, 'an existing root secret is used, none rendered');
  // HTTPS on the gateways from the mounted TLS secret.
  const gw = gateways[0]!.spec.template.spec;
  const env = Object.fromEntries(gw.containers[0].env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value]));
  assert.equal(env.ZONESTORE_HTTPS_CERT, '/etc/zonestore/tls/tls.crt');
  assert.deepEqual(gw.volumes.find((v: any) => v.name === 'tls'), { name: 'tls', secret: { secretName: 'zonestore-gateway-tls' } });
  assert.ok(ofKind(r, 'Service').find((x) => x.metadata.name === 'zs-zonestore-s3')!.spec.ports.some((p: any) => p.port === 443));
  assert.equal(ofKind(renderChart(), 'Deployment')[0]!.spec.template.spec.volumes.find((v: any) => v.name === 'tls'), undefined, 'no HTTPS volume by default');
});

test('optional objects: Ingress with cert-manager TLS, ServiceMonitor and PrometheusRule only where their APIs exist', () => {
  const none = renderChart();
  assert.equal(ofKind(none, 'Ingress').length, 0);
  assert.equal(ofKind(none, 'ServiceMonitor').length + ofKind(none, 'PrometheusRule').length, 0);
  assert.deepEqual(ofKind(none, 'Secret').map((x) => x.metadata.name).sort(), ['zs-zonestore-internal-tls', 'zs-zonestore-kms', 'zs-zonestore-root'], 'a root key, an internal certificate and a KMS root key are generated');
  const secret = ofKind(none, 'Secret').find((x) => x.metadata.name === 'zs-zonestore-root')!;
  assert.match(Buffer.from(secret.data.accessKeyId, 'base64').toString(), /^ZS[A-Z0-9]{18}$/);
  assert.ok(Buffer.from(secret.data.secretAccessKey, 'base64').toString().length >= 40);

  const all = renderChart({ valuesFiles: [THREE_ZONES], apiVersions: ALL_APIS });
  const ingress = ofKind(all, 'Ingress')[0]!;
  assert.deepEqual(ingress.spec.tls, [{ hosts: ['s3.example.com', '*.s3.example.com'], secretName: 'zonestore-s3-tls' }]);
  assert.equal(ofKind(all, 'Certificate')[0]!.spec.issuerRef.name, 'letsencrypt');
  assert.equal(ofKind(all, 'ServiceMonitor')[0]!.spec.endpoints[0].path, '/metrics');
  const rules = ofKind(all, 'PrometheusRule')[0]!.spec.groups[0].rules as Array<{ alert: string; expr: string }>;
  assert.ok(rules.some((x) => x.alert === 'ZonestoreMetaQuorumLost' && x.expr.endsWith('< 2')));
  assert.throws(() => renderChart({ valuesFiles: [THREE_ZONES] }), /needs cert-manager/);
});

test('NOTES.txt tells how to reach the endpoint and read the key', () => {
  const { notes } = renderChart();
  assert.match(notes, /zonestore 0\.1\.0 is starting in 3 zones \(zone-1, zone-2, zone-3\)/);
  assert.match(notes, /http:\/\/zs-zonestore-s3\.storage\.svc:9000/);
  assert.match(notes, /get secret zs-zonestore-root/);
});

/** Every zonestore container of the render with its pod spec. */
function containers(r: RenderedChart): Array<{ workload: string; pod: Record<string, any>; c: Record<string, any>; env: Record<string, string> }> {
  return [...ofKind(r, 'StatefulSet'), ...ofKind(r, 'Deployment')].flatMap((w) => w.spec.template.spec.containers.map((c: any) => ({
    workload: w.metadata.name, pod: w.spec.template.spec, c,
    env: Object.fromEntries(c.env.filter((e: any) => e.value !== undefined).map((e: any) => [e.name, e.value])),
  })));
}

const b64 = (s: string): string => Buffer.from(s, 'base64').toString();

test('internal mutual TLS in every pod: the generated Secret mounted, ZONESTORE_TLS_* naming its files', () => {
  const r = renderChart();
  const secret = ofKind(r, 'Secret').find((x) => x.metadata.name === 'zs-zonestore-internal-tls')!;
  assert.equal(secret.type, 'kubernetes.io/tls');
  assert.equal(secret.metadata.annotations['helm.sh/resource-policy'], 'keep');
  // What the chart generates is what a role accepts at start (CA, key, zonestore.internal, both usages).
  assert.deepEqual(internalTlsProblems({ caPem: b64(secret.data['ca.crt']), certPem: b64(secret.data['tls.crt']), keyPem: b64(secret.data['tls.key']) }), []);
  const all = containers(r);
  assert.equal(all.length, 3 * 3, 'meta, data and gateway in each of three zones');
  for (const { workload, pod, c, env } of all) {
    assert.deepEqual([env.ZONESTORE_TLS_CA, env.ZONESTORE_TLS_CERT, env.ZONESTORE_TLS_KEY],
      ['/etc/zonestore/internal-tls/ca.crt', '/etc/zonestore/internal-tls/tls.crt', '/etc/zonestore/internal-tls/tls.key'], workload);
    assert.equal(env.ZONESTORE_INSECURE_INTERNAL, undefined);
    assert.deepEqual(c.volumeMounts.find((m: any) => m.name === 'internal-tls'), { name: 'internal-tls', mountPath: '/etc/zonestore/internal-tls', readOnly: true }, workload);
    assert.deepEqual(pod.volumes.find((v: any) => v.name === 'internal-tls'), { name: 'internal-tls', secret: { secretName: 'zs-zonestore-internal-tls', defaultMode: 0o440 } }, workload);
  }
});

test('internal TLS from an existing Secret, from cert-manager, or explicitly off', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zs-helm-'));
  try {
    const values = (name: string, yaml: string): string => {
      writeFileSync(join(dir, name), yaml);
      return join(dir, name);
    };
    const existing = renderChart({ valuesFiles: [values('existing.yaml', 'internalTls:\n  existingSecret: my-internal-tls\n')] });
    assert.equal(ofKind(existing, 'Secret').find((x) => x.metadata.name.endsWith('internal-tls')), undefined, 'none generated');
    for (const { pod } of containers(existing)) assert.equal(pod.volumes.find((v: any) => v.name === 'internal-tls').secret.secretName, 'my-internal-tls');

    const cm = renderChart({ valuesFiles: [THREE_ZONES], apiVersions: ALL_APIS });
    const cert = ofKind(cm, 'Certificate').find((x) => x.metadata.name === 'zs-zonestore-internal')!;
    assert.deepEqual(cert.spec.dnsNames, ['zonestore.internal']);
    assert.deepEqual(cert.spec.usages, ['digital signature', 'server auth', 'client auth']);
    assert.deepEqual(cert.spec.issuerRef, { kind: 'Issuer', name: 'zonestore-cluster-ca' });
    for (const { pod } of containers(cm)) assert.equal(pod.volumes.find((v: any) => v.name === 'internal-tls').secret.secretName, cert.spec.secretName);
    assert.throws(() => renderChart({ valuesFiles: [values('cm.yaml', 'internalTls:\n  certManager:\n    enabled: true\n    issuerName: x\n')] }), /internalTls.certManager.enabled needs cert-manager/);

    const off = renderChart({ valuesFiles: [values('off.yaml', 'internalTls:\n  insecure: true\n')] });
    assert.equal(ofKind(off, 'Secret').find((x) => x.metadata.name.endsWith('internal-tls')), undefined);
    validateAll(off);
    for (const { pod, c, env } of containers(off)) {
      assert.equal(env.ZONESTORE_INSECURE_INTERNAL, 'true');
      assert.equal(env.ZONESTORE_TLS_CERT, undefined);
      assert.equal(pod.volumes.find((v: any) => v.name === 'internal-tls'), undefined);
      assert.equal(c.volumeMounts.find((m: any) => m.name === 'internal-tls'), undefined);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the KMS root key: generated (32 bytes, base64) or an existing Secret, mounted into the gateways only', () => {
  const r = renderChart();
  const secret = ofKind(r, 'Secret').find((x) => x.metadata.name === 'zs-zonestore-kms')!;
  assert.equal(parseKmsRootKey(b64(secret.data['root.key']), 'root.key').length, 32);
  assert.equal(secret.metadata.annotations['helm.sh/resource-policy'], 'keep');
  for (const { workload, pod, c, env } of containers(r)) {
    const gateway = workload.includes('-gateway-');
    assert.equal(env.ZONESTORE_KMS_ROOT_KEY_FILE, gateway ? '/etc/zonestore/kms/root.key' : undefined, workload);
    assert.equal(pod.volumes.some((v: any) => v.name === 'kms'), gateway, workload);
    if (gateway) {
      assert.deepEqual(c.volumeMounts.find((m: any) => m.name === 'kms'), { name: 'kms', mountPath: '/etc/zonestore/kms', readOnly: true });
      assert.deepEqual(pod.volumes.find((v: any) => v.name === 'kms').secret, { secretName: 'zs-zonestore-kms', defaultMode: 0o440 });
    }
  }
  const given = renderChart({ valuesFiles: [THREE_ZONES], apiVersions: ALL_APIS });
  for (const { workload, pod } of containers(given).filter((x) => x.workload.includes('-gateway-'))) {
    assert.equal(pod.volumes.find((v: any) => v.name === 'kms').secret.secretName, 'zonestore-kms', workload);
  }
});
