// Summarizes a V8 .cpuprofile (from --cpu-prof or the profiler hook): top functions by self
// time, time by area (package / node core / our code / GC / idle), and the heaviest of our own
// functions by inclusive time, which is what tells the Raft host's author where to look.
// Usable on its own: node --import tsx benchmarks/raft/cpu-profile-summary.ts <file> [top]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { relative } from 'node:path';
import { REPO_ROOT } from './repo-paths.ts';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

interface Row {
  label: string;
  micros: number;
}

export interface ProfileSummary {
  totalMs: number;
  /** Sampled time not spent idle: the process's busy time as V8 saw it. */
  busyMs: number;
  topSelf: Row[];
  areas: Row[];
  ownInclusive: Row[];
}

export function summarizeProfile(profile: CpuProfile, top = 20): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parentOf = new Map<number, ProfileNode>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n);
  // Native code (a C++ binding such as classic-level's batch, or node's http2 internals) has
  // no URL and often no name: charge it to the JS function that called it, or it is opaque.
  const callerOf = (node: ProfileNode): ProfileNode | undefined => {
    let p = parentOf.get(node.id);
    while (p && !p.callFrame.url && p.callFrame.functionName !== '(root)') p = parentOf.get(p.id);
    return p && p.callFrame.url ? p : undefined;
  };
  const selfLabel = (node: ProfileNode): string => {
    const caller = isNativeFrame(node) ? callerOf(node) : undefined;
    return caller ? `${node.callFrame.functionName || '(native)'} ← ${functionLabel(caller)}` : functionLabel(node);
  };
  const selfArea = (node: ProfileNode): string => {
    const caller = isNativeFrame(node) ? callerOf(node) : undefined;
    return caller ? `${areaOf(caller)} (native)` : areaOf(node);
  };
  const selfMicros = new Map<number, number>();
  // Like DevTools: sample i lasts until sample i+1.
  for (let i = 0; i < profile.samples.length; i++) {
    const duration = profile.timeDeltas[i + 1] ?? 0;
    selfMicros.set(profile.samples[i]!, (selfMicros.get(profile.samples[i]!) ?? 0) + Math.max(0, duration));
  }

  const selfByFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, micros] of selfMicros) {
    const node = byId.get(id)!;
    total += micros;
    if (node.callFrame.functionName === '(idle)') {
      idle += micros; // reported as total − busy, kept out of the rankings
      continue;
    }
    add(selfByFunction, selfLabel(node), micros);
    add(byArea, selfArea(node), micros);
  }

  // Inclusive time of our own functions, each counted once per stack even when recursive.
  const inclusive = new Map<number, number>();
  const inclusiveOf = (id: number): number => {
    const node = byId.get(id)!;
    let sum = selfMicros.get(id) ?? 0;
    for (const c of node.children ?? []) sum += inclusiveOf(c);
    inclusive.set(id, sum);
    return sum;
  };
  const root = profile.nodes[0]!;
  inclusiveOf(root.id);
  const ownInclusive = new Map<string, number>();
  const onStack = new Map<string, number>();
  const walk = (id: number): void => {
    const node = byId.get(id)!;
    const own = isOwnCode(node.callFrame.url);
    const label = functionLabel(node);
    if (own && !onStack.get(label)) add(ownInclusive, label, inclusive.get(id) ?? 0);
    if (own) onStack.set(label, (onStack.get(label) ?? 0) + 1);
    for (const c of node.children ?? []) walk(c);
    if (own) onStack.set(label, onStack.get(label)! - 1);
  };
  walk(root.id);

  return {
    totalMs: total / 1000,
    busyMs: (total - idle) / 1000,
    topSelf: sorted(selfByFunction).slice(0, top),
    areas: sorted(byArea),
    ownInclusive: sorted(ownInclusive).slice(0, top),
  };
}

export function formatProfileSummary(title: string, s: ProfileSummary): string {
  const pct = (micros: number): string => `${((micros / 1000 / Math.max(s.busyMs, 1e-9)) * 100).toFixed(1).padStart(5)}%`;
  const ms = (micros: number): string => `${(micros / 1000).toFixed(0).padStart(7)} ms`;
  const lines = [
    `${title}: ${s.totalMs.toFixed(0)} ms sampled, ${s.busyMs.toFixed(0)} ms busy (percentages are of busy time)`,
    '',
    'self time by area:',
    ...s.areas.map((r) => `  ${pct(r.micros)} ${ms(r.micros)}  ${r.label}`),
    '',
    'top functions by self time:',
    ...s.topSelf.map((r) => `  ${pct(r.micros)} ${ms(r.micros)}  ${r.label}`),
    '',
    'our code (services/) by inclusive time:',
    ...s.ownInclusive.map((r) => `  ${pct(r.micros)} ${ms(r.micros)}  ${r.label}`),
  ];
  return lines.join('\n');
}

function isNativeFrame(node: ProfileNode): boolean {
  return !node.callFrame.url && !node.callFrame.functionName.startsWith('(');
}

function functionLabel(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const name = functionName || '(anonymous)';
  if (!url) return name;
  // tsx hands V8 each .ts module transformed onto one line, so a line number there says nothing.
  const line = lineNumber > 0 || !url.endsWith('.ts') ? `:${lineNumber + 1}` : '';
  return `${name}  ${shortUrl(url)}${line}`;
}

function shortUrl(url: string): string {
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) return path.slice(inModules + 'node_modules/'.length);
  return path.startsWith('/') ? relative(REPO_ROOT, path) : path;
}

function isOwnCode(url: string): boolean {
  return url.startsWith('file://') && !url.includes('/node_modules/') && shortUrl(url).startsWith('services/');
}

/** Coarse buckets: one npm package, one node core module, one of our folders, or a V8 pseudo-frame. */
function areaOf(node: ProfileNode): string {
  const { functionName, url } = node.callFrame;
  if (!url) {
    if (functionName.startsWith('(')) return `${functionName} [V8]`;
    return `native: ${functionName || '(anonymous)'}`;
  }
  if (url.startsWith('node:')) {
    const m = /^node:(?:internal\/)?([^/]+)/.exec(url);
    return `node core: ${m?.[1] ?? url}`;
  }
  const short = shortUrl(url);
  if (url.includes('/node_modules/')) {
    const parts = short.split('/');
    return `npm: ${parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  return `ours: ${short.split('/').slice(0, 3).join('/')}`;
}

function add(map: Map<string, number>, key: string, micros: number): void {
  map.set(key, (map.get(key) ?? 0) + micros);
}

function sorted(map: Map<string, number>): Row[] {
  return [...map].map(([label, micros]) => ({ label, micros })).sort((a, b) => b.micros - a.micros);
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: cpu-profile-summary.ts <file.cpuprofile> [top]');
    process.exit(2);
  }
  console.log(formatProfileSummary(file, summarizeProfile(readProfile(file), Number(process.argv[3] ?? 25))));
}
