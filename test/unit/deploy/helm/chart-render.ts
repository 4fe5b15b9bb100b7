// Renders deploy/helm/zonestore the way `helm template` would (values.yaml merged with an
// override file, .Release/.Chart/.Capabilities), with the Go-template subset in go-template.ts.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { ChartRenderer } from './go-template.ts';
import { REPO_ROOT } from '../../../integration/deploy/server-bundle.ts';

export const CHART_DIR = join(REPO_ROOT, 'deploy', 'helm', 'zonestore');

export interface RenderOptions {
  valuesFiles?: readonly string[];
  releaseName?: string;
  namespace?: string;
  /** API groups/versions the pretend cluster serves besides the built-in ones. */
  apiVersions?: readonly string[];
}

export interface RenderedChart {
  manifests: Array<Record<string, any>>;
  notes: string;
  values: Record<string, any>;
}

function merge(base: any, over: any): any {
  if (over && typeof over === 'object' && !Array.isArray(over) && base && typeof base === 'object' && !Array.isArray(base)) {
    const out = { ...base };
    for (const [k, v] of Object.entries(over)) out[k] = merge(base[k], v);
    return out;
  }
  return over === undefined ? base : over;
}

const BUILT_IN_APIS = ['v1', 'apps/v1', 'policy/v1', 'networking.k8s.io/v1'];

export function renderChart(o: RenderOptions = {}): RenderedChart {
  const chart = parse(readFileSync(join(CHART_DIR, 'Chart.yaml'), 'utf8')) as Record<string, unknown>;
  let values = parse(readFileSync(join(CHART_DIR, 'values.yaml'), 'utf8')) as Record<string, any>;
  for (const f of o.valuesFiles ?? []) values = merge(values, parse(readFileSync(f, 'utf8')));
  const apis = new Set([...BUILT_IN_APIS, ...(o.apiVersions ?? [])]);
  const dot = {
    Values: values,
    Chart: { Name: chart.name, Version: chart.version, AppVersion: chart.appVersion },
    Release: { Name: o.releaseName ?? 'zs', Namespace: o.namespace ?? 'storage', Service: 'Helm', IsInstall: true },
    Capabilities: { APIVersions: { Has: (v: unknown) => apis.has(String(v)) }, KubeVersion: { Version: 'v1.30.0' } },
  };
  const renderer = new ChartRenderer();
  const dir = join(CHART_DIR, 'templates');
  const files = readdirSync(dir).sort();
  const parsed = files.map((f) => ({ f, nodes: renderer.addTemplate(`templates/${f}`, readFileSync(join(dir, f), 'utf8')) }));
  const manifests: Array<Record<string, any>> = [];
  let notes = '';
  for (const { f, nodes } of parsed) {
    if (f.startsWith('_')) continue;
    const text = renderer.render(nodes, dot);
    if (f === 'NOTES.txt') {
      notes = text;
      continue;
    }
    for (const doc of parseAllDocuments(text)) {
      if (doc.errors.length > 0) throw new Error(`templates/${f} renders invalid YAML: ${doc.errors[0]!.message}\n${text}`);
      const obj = doc.toJS() as Record<string, any> | null;
      if (obj) manifests.push(obj);
    }
  }
  return { manifests, notes, values };
}
