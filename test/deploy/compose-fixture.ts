// The compose cluster of the Docker tests: deploy/compose copied to a temp dir, its secrets made
// by its own init.sh, the image built from deploy/Dockerfile on the locally built base, brought
// up through testcontainers (docker-compose v1, no Ryuk) with each gateway published on a free
// 127.0.0.1 port. Fault helpers act on one zone's containers with the docker CLI.
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'node:https';
import { S3Client } from '@aws-sdk/client-s3';
import { DockerComposeEnvironment, Wait, type StartedDockerComposeEnvironment } from 'testcontainers';
import { freePorts } from '../../services/common/free-ports.ts';
import { REPO_ROOT } from '../integration/deploy/server-bundle.ts';
import { deployCacheDir, type DockerEngine } from './docker-engine.ts';

const run = promisify(execFile);
export const PROJECT = 'zsdeploytest';
export const IMAGE = 'zonestore:deploy-test';
export const BASE_IMAGE = 'zonestore-test/node:20-bookworm';
const BUILD_TIMEOUT_MS = 15 * 60_000;
const UP_TIMEOUT_MS = 180_000;
const DOCKER_CMD_TIMEOUT_MS = 60_000;

export const ZONE_SERVICES = (z: number): string[] => [`meta-${z}`, `data-${z}-1`, `data-${z}-2`, `data-${z}-3`, `gateway-${z}`];
/** docker-compose v1 names containers <project>_<service>_1. */
export const containerOf = (service: string): string => `${PROJECT}_${service}_1`;
export const INTERZONE = `${PROJECT}_interzone`;

export interface GrpcProbe {
  name: string;
  target: string;
  method: string;
  stream?: boolean;
  requestBase64?: string;
  /** 'none': plaintext; else TLS trusting `ca`, presenting `cert`/`key` when given (paths in the probe container). */
  tls: 'none' | { ca: string; cert?: string; key?: string };
}

export interface GrpcProbeResult {
  name: string;
  code: number;
  codeName: string;
  details: string;
}

export class ComposeCluster {
  private constructor(
    readonly engine: DockerEngine,
    readonly dir: string,
    readonly env: StartedDockerComposeEnvironment,
    readonly gatewayPorts: number[],
    readonly gatewayTlsPorts: number[],
    readonly credentials: { accessKeyId: string; secretAccessKey: string },
  ) {}

  static async start(engine: DockerEngine, log: (line: string) => void): Promise<ComposeCluster> {
    const docker = (args: string[], timeout = DOCKER_CMD_TIMEOUT_MS) => run('docker', args, { env: engine.env, timeout, maxBuffer: 64 << 20 });
    log('base image: debootstrap rootfs + this Node (cached)');
    await run(join(REPO_ROOT, 'test', 'deploy', 'build-base-image.sh'), [deployCacheDir(), BASE_IMAGE], { env: engine.env, timeout: BUILD_TIMEOUT_MS });
    log('image: docker build -f deploy/Dockerfile');
    // --network host: npm ci in the build reaches the registry as npm on this machine does
    // (the engine runs without a default bridge).
    await docker(['build', '--network', 'host', '--build-arg', `BASE_IMAGE=${BASE_IMAGE}`, '-f', 'deploy/Dockerfile', '-t', IMAGE, REPO_ROOT], BUILD_TIMEOUT_MS);

    const dir = mkdtempSync(join(tmpdir(), 'zonestore-compose-'));
    for (const f of ['docker-compose.yml', 'zonestore.json', 'init.sh']) copyFileSync(join(REPO_ROOT, 'deploy', 'compose', f), join(dir, f));
    await run('sh', [join(dir, 'init.sh')], { timeout: 10_000 });
    const credentials = JSON.parse(readFileSync(join(dir, 'secrets', 'root-credentials.json'), 'utf8')) as { accessKeyId: string; secretAccessKey: string };
    const [p1, p2, p3, t1, t2, t3] = await freePorts(6);
    const gatewayPorts = [p1!, p2!, p3!];
    const gatewayTlsPorts = [t1!, t2!, t3!];
    const composeEnv = {
      ZONESTORE_S3_TLS_PORT_1: String(t1), ZONESTORE_S3_TLS_PORT_2: String(t2), ZONESTORE_S3_TLS_PORT_3: String(t3),
      ZONESTORE_IMAGE: IMAGE, BASE_IMAGE, ZONESTORE_S3_PORT_1: String(gatewayPorts[0]),
      ZONESTORE_S3_PORT_2: String(gatewayPorts[1]), ZONESTORE_S3_PORT_3: String(gatewayPorts[2]),
    };
    // A crashed earlier run's project (its containers restart with the engine): gone first.
    await run('docker-compose', ['-p', PROJECT, 'down', '-v', '--remove-orphans', '-t', '1'], { cwd: dir, env: { ...engine.env, ...composeEnv }, timeout: DOCKER_CMD_TIMEOUT_MS }).catch(() => {});
    log('docker-compose up -d (testcontainers)');
    // testcontainers finds its engine in this process's environment, and must not start Ryuk.
    process.env.DOCKER_HOST = engine.host;
    process.env.TESTCONTAINERS_RYUK_DISABLED = 'true';
    // Published ports are reached on 127.0.0.1 only (this also spares testcontainers its look-up
    // of the default bridge network, which this engine runs without).
    process.env.TESTCONTAINERS_HOST_OVERRIDE = '127.0.0.1';
    const env = await new DockerComposeEnvironment(dir, 'docker-compose.yml')
      .withProjectName(PROJECT)
      .withEnvironment(composeEnv)
      .withClientOptions({ executable: { standalone: true, executablePath: 'docker-compose' } })
      // Every role prints READY once it serves; healthy (its /readyz) is awaited below, so a
      // container that never gets there can still show its logs before the cluster goes.
      .withDefaultWaitStrategy(Wait.forLogMessage('READY '))
      .withStartupTimeout(UP_TIMEOUT_MS)
      .up();
    const cluster = new ComposeCluster(engine, dir, env, gatewayPorts, gatewayTlsPorts, credentials);
    try {
      for (const z of [1, 2, 3]) await cluster.waitZoneHealthy(z, UP_TIMEOUT_MS);
    } catch (err) {
      for (const z of [1, 2, 3]) for (const s of ZONE_SERVICES(z)) log(`${s}:\n${await cluster.logsOf(s, 8)}`);
      await cluster.down();
      throw err;
    }
    return cluster;
  }

  docker(args: string[]): Promise<{ stdout: string; stderr: string }> {
    return run('docker', args, { env: this.engine.env, timeout: DOCKER_CMD_TIMEOUT_MS, maxBuffer: 64 << 20 });
  }

  s3(zone: number, timeoutMs = 10_000): S3Client {
    return new S3Client({
      endpoint: `http://127.0.0.1:${this.gatewayPorts[zone - 1]}`, region: 'us-east-1', forcePathStyle: true,
      credentials: this.credentials, maxAttempts: 1,
      requestHandler: { requestTimeout: timeoutMs, connectionTimeout: 3_000 },
    });
  }

  /** The zone's HTTPS port, trusting only the CA init.sh made. */
  s3Tls(zone: number, timeoutMs = 10_000): S3Client {
    const ca = readFileSync(join(this.dir, 'secrets', 'ca.crt'));
    return new S3Client({
      endpoint: `https://127.0.0.1:${this.gatewayTlsPorts[zone - 1]}`, region: 'us-east-1', forcePathStyle: true,
      credentials: this.credentials, maxAttempts: 1,
      requestHandler: { requestTimeout: timeoutMs, connectionTimeout: 3_000, httpsAgent: new Agent({ ca }) },
    });
  }

  /**
   * `docker stop`: SIGTERM to node as PID 1, SIGKILL after 10 s. Resolves with each container's
   * exit code (0: it stopped gracefully in time; 137: it had to be killed).
   */
  async stopZone(z: number): Promise<Record<string, number>> {
    const names = ZONE_SERVICES(z).map(containerOf);
    await this.docker(['stop', '-t', '10', ...names]);
    const { stdout } = await this.docker(['inspect', '--format', '{{.Name}} {{.State.ExitCode}}', ...names]);
    return Object.fromEntries(stdout.trim().split('\n').map((l) => {
      const [name, code] = l.split(' ');
      return [name!.replace(/^\//, ''), Number(code)];
    }));
  }

  async startZone(z: number): Promise<void> {
    await this.docker(['start', ...ZONE_SERVICES(z).map(containerOf)]);
  }

  async pauseZone(z: number): Promise<void> {
    await this.docker(['pause', ...ZONE_SERVICES(z).map(containerOf)]);
  }

  async unpauseZone(z: number): Promise<void> {
    await this.docker(['unpause', ...ZONE_SERVICES(z).map(containerOf)]);
  }

  /** Cuts the zone off the inter-zone network; its containers still share the zone's own network. */
  async disconnectZone(z: number): Promise<void> {
    for (const s of ZONE_SERVICES(z)) await this.docker(['network', 'disconnect', INTERZONE, containerOf(s)]);
  }

  async reconnectZone(z: number): Promise<void> {
    // The service name is the DNS alias the others dial (meta-3:7001, data-3-1:7100, …).
    for (const s of ZONE_SERVICES(z)) await this.docker(['network', 'connect', '--alias', s, INTERZONE, containerOf(s)]);
  }

  /** Every container of the zone reports healthy (its /readyz passes) again. */
  async waitZoneHealthy(z: number, timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { stdout } = await this.docker(['inspect', '--format', '{{.State.Health.Status}}', ...ZONE_SERVICES(z).map(containerOf)]);
      const states = stdout.trim().split('\n');
      if (states.every((s) => s === 'healthy')) return;
      if (Date.now() > deadline) throw new Error(`zone-${z} not healthy within ${timeoutMs} ms: ${states.join(', ')}`);
      await sleep(1_000);
    }
  }

  /**
   * Runs test/deploy/grpc-probe.mjs in a container of its own on the inter-zone network (where an
   * intruder inside the Docker host would sit), with `files` (name → contents) under /probe/.
   * Resolves with what each probe got.
   */
  async grpcProbe(probes: GrpcProbe[], files: Record<string, string>): Promise<GrpcProbeResult[]> {
    const dir = mkdtempSync(join(tmpdir(), 'zonestore-probe-'));
    try {
      chmodSync(dir, 0o755);
      copyFileSync(join(REPO_ROOT, 'test', 'deploy', 'grpc-probe.mjs'), join(dir, 'grpc-probe.mjs'));
      for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text, { mode: 0o644 });
      const { stdout } = await this.docker([
        'run', '--rm', '--network', INTERZONE, '--entrypoint', 'node',
        '-v', `${join(dir, 'grpc-probe.mjs')}:/app/grpc-probe.mjs:ro`, '-v', `${dir}:/probe:ro`,
        IMAGE, '/app/grpc-probe.mjs', JSON.stringify(probes),
      ]);
      return JSON.parse(stdout.trim().split('\n').at(-1)!) as GrpcProbeResult[];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  /** A file init.sh wrote into the compose folder's secrets. */
  secret(name: string): string {
    return readFileSync(join(this.dir, 'secrets', name), 'utf8');
  }

  async logsOf(service: string, lines = 20): Promise<string> {
    const { stdout, stderr } = await this.docker(['logs', '--tail', String(lines), containerOf(service)]).catch((e: Error) => ({ stdout: '', stderr: e.message }));
    return stdout + stderr;
  }

  async down(): Promise<void> {
    await this.env.down({ removeVolumes: true, timeout: 10_000 }).catch(() => {});
    rmSync(this.dir, { recursive: true, force: true });
  }
}
