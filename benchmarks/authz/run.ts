// `npm run bench:authz`: decisions per second of the pure authorization core on one core, for
// a 20-statement bucket policy (issue #11's target: ≥ 200k evaluations/s). Three measurements:
//   - authorize(), cycling over 8 requests that take different paths (allow early, allow late,
//     explicit Deny, full scan to default deny, the owner);
//   - authorize() on the worst of them: a request no statement applies to (all 20 scanned);
//   - evaluatePolicy() alone on that worst request (the policy scan without the decision around it).
// Each is the best of --rounds timed rounds of --evaluations calls, after a warm-up.
//
//   npm run bench:authz [-- --rounds 7 --evaluations 300000 --write]
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { writeMarkedSection } from '../../services/cli/bench/results-file.ts';
import { authorize, evaluatePolicy } from '../../services/gateway/authz/index.ts';
import { EvaluationRequest } from '../../services/gateway/authz/request-context.ts';
import { resourcePath } from '../../services/gateway/authz/resources.ts';
import { machineInfo } from '../erasure/machine-info.ts';
import { benchPolicy, benchRequests, bucketAccess, type BenchRequest } from './policy-fixture.ts';

const TARGET_PER_SECOND = 200_000;
const BEGIN = '<!-- authz-bench:begin (written by benchmarks/authz/run.ts; edits inside are overwritten) -->';
const END = '<!-- authz-bench:end -->';

const { values: opts } = parseArgs({
  options: {
    rounds: { type: 'string', default: '7' },
    evaluations: { type: 'string', default: '300000' },
    write: { type: 'boolean', default: false },
    out: { type: 'string', default: 'benchmarks/RESULTS.md' },
  },
});
const rounds = Number(opts.rounds);
const evaluations = Number(opts.evaluations);

const policy = benchPolicy();
const access = bucketAccess(policy);
const requests = benchRequests(access);
for (const r of requests) {
  const d = authorize(r.request);
  if (d.allowed !== r.expect) throw new Error(`"${r.name}": expected ${r.expect ? 'allow' : 'deny'}, got ${JSON.stringify(d)}`);
}
const worst = requests.find((r) => r.name.startsWith('partner 3 outside'))! satisfies BenchRequest;

interface Measurement { name: string; best: number; median: number }
let sink = 0;

function measure(name: string, once: (i: number) => boolean): Measurement {
  for (let i = 0; i < evaluations; i++) if (once(i)) sink++;
  const rates: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < evaluations; i++) if (once(i)) sink++;
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push(evaluations / s);
  }
  rates.sort((a, b) => a - b);
  return { name, best: rates[rates.length - 1]!, median: rates[Math.floor(rates.length / 2)]! };
}

const mixed = requests.map((r) => r.request);
const w = worst.request;
const results = [
  measure('authorize(), 8 requests in turn (mixed paths)', (i) => authorize(mixed[i & 7]!).allowed),
  measure('authorize(), no statement applies (all 20 scanned)', () => authorize(w).allowed),
  measure('evaluatePolicy() alone, same request', () =>
    evaluatePolicy(policy, new EvaluationRequest(w.principal, w.permission, resourcePath(w.bucket, w.key), access.owner, w.facts)).effect === 'Allow'),
];

const m = machineInfo();
/** `lscpu`'s view of the machine in one line (empty where lscpu is missing). */
function lscpuLine(): string {
  try {
    const out = execFileSync('lscpu', { encoding: 'utf8' });
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(out)?.[1]?.trim();
    const parts = [
      `${field('Core\\(s\\) per socket') ?? '?'} core(s) × ${field('Socket\\(s\\)') ?? '?'} socket(s), ${field('Thread\\(s\\) per core') ?? '?'} thread(s) per core`,
      field('Hypervisor vendor') ? `${field('Hypervisor vendor')} guest` : undefined,
      field('L2 cache') ? `L2 ${field('L2 cache')}` : undefined,
    ];
    return `; lscpu: ${parts.filter(Boolean).join(', ')}`;
  } catch {
    return '';
  }
}
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const lowest = Math.min(...results.map((r) => r.best));
const section = [
  BEGIN,
  '## Authorization: policy evaluation (issue #11)',
  '',
  `Command: \`npm run bench:authz -- --write\` (= \`node --import tsx benchmarks/authz/run.ts\`; ${rounds} rounds × ${fmt(evaluations)} evaluations per row, after a warm-up of as many).`,
  '',
  `Machine: nproc ${m.nproc}, CPU \`${m.cpuModel}\`${lscpuLine()}, Node ${m.node} (V8 ${m.v8}), ${m.date}, load average ${m.loadAverage} (the cores are shared with other sessions' work). One thread: the evaluator is synchronous.`,
  '',
  'Policy: one bucket policy of 20 statements in IAM syntax (`benchmarks/authz/policy-fixture.ts`): 4 Deny (plain HTTP, source IP for a prefix, required encryption, NotPrincipal deletes) and 16 Allow to partner accounts and users with IPv4/IPv6 CIDR, Referer, prefix, date, user-agent and numeric conditions; most cover GetObject, so they are not skipped on the action alone. Every request\'s decision is checked before it is timed.',
  '',
  '| measurement | best evaluations/s | median evaluations/s |',
  '|---|---:|---:|',
  ...results.map((r) => `| ${r.name} | ${fmt(r.best)} | ${fmt(r.median)} |`),
  '',
  `Target ≥ ${fmt(TARGET_PER_SECOND)} evaluations/s on one core: **${lowest >= TARGET_PER_SECOND ? 'met' : 'not met'}** (lowest best: ${fmt(lowest)}/s).`,
  END,
].join('\n');

console.log(section);
if (sink < 0) console.log(sink);
if (opts.write) {
  writeMarkedSection(opts.out, section, { begin: BEGIN, end: END });
  console.log(`\nwrote the section to ${opts.out}`);
}
