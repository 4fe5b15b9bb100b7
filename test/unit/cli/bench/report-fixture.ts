// Synthetic reports for the renderer tests: recorders filled with made-up timings, turned into
// target reports the way a run does, no server or socket involved.
import type { BenchTarget, TargetKind } from '../../../../services/cli/bench/bench-target.ts';
import { MIB } from '../../../../services/cli/bench/bench-stats.ts';
import { OpRecorder } from '../../../../services/cli/bench/op-recorder.ts';
import { targetReport, type BenchReport, type TargetReport } from '../../../../services/cli/bench/report-build.ts';
import { ServerSampler } from '../../../../services/cli/bench/server-sampler.ts';

export function syntheticTarget(label: string, kind: TargetKind, opsPerSec: number, latencyMs: number, opts: {
  bytes?: number; slicesAtS?: number[]; sliceS?: number; errors?: number;
} = {}): TargetReport {
  const rec = new OpRecorder();
  const slices = opts.slicesAtS ?? [0];
  const sliceS = opts.sliceS ?? 2;
  for (const start of slices) {
    const n = Math.round(opsPerSec * sliceS);
    rec.markActive(start * 1000, (start + sliceS) * 1000);
    for (let i = 0; i < n; i++) rec.recordOp('put', latencyMs * 1000 * (1 + (i % 10) / 10), opts.bytes ?? MIB, (start + (i / n) * sliceS) * 1000);
  }
  for (let i = 0; i < (opts.errors ?? 0); i++) rec.recordError('InternalError (HTTP 500)', 'boom', slices[0]! * 1000);
  rec.elapsedMs = slices.length * sliceS * 1000;
  const target = { label, kind, endpoints: ['http://127.0.0.1:1'] } as unknown as BenchTarget;
  const sampler = new ServerSampler(kind === 'endpoint' ? [] : [{ name: 'srv', pid: 1 }], () => []);
  sampler.clientCpuMs = 500;
  if (sampler.usage[0]) {
    sampler.usage[0].cpuMs = 1000;
    sampler.usage[0].peakRssBytes = 100 * MIB;
  }
  return targetReport({ target, recorder: rec, sampler, exhausted: false, cleanup: 'thrown away with the server' });
}

export function syntheticReport(targets: TargetReport[]): BenchReport {
  const machine = { cores: 2, cpu: 'Test CPU', memoryGiB: 4, node: 'v20.0.0', kernel: '6.0', loadAverage: [0.1, 0.2, 0.3] as [number, number, number] };
  return {
    tool: 'zonestore bench', reportVersion: 1, command: 'zonestore bench put', startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:10.000Z', machine, loadAverageAtEnd: [0.3, 0.2, 0.1],
    scenario: { name: 'put', size: '1MiB', concurrency: 4, durationS: 4, rounds: 2, seed: 1, keys: 'random', details: {} },
    targets,
  };
}
