// The part of Go's text/template (with the Sprig and Helm functions the chart uses) needed to
// render deploy/helm/zonestore without the `helm` binary, which neither the npm registry nor
// Debian's archive ships. Text and actions, `{{-`/`-}}` trimming, comments, if/else if/else,
// range (with one or two variables), with, define/include, variables (`:=`, `=`, `$`),
// pipelines, parenthesised pipelines with fields, and the functions in FUNCTIONS. Anything
// else is an error naming the template and line, so the chart cannot quietly outgrow it.
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { createClusterCa, issueCertificate } from '../../../../services/common/tls/index.ts';
import { stringify } from 'yaml';

type Value = unknown;
type Fn = (...args: Value[]) => Value;

interface TextNode { kind: 'text'; text: string }
interface ActionNode { kind: 'action'; pipe: Pipeline; line: number }
interface IfNode { kind: 'if'; branches: Array<{ cond: Pipeline; body: Node[] }>; otherwise: Node[]; line: number }
interface RangeNode { kind: 'range'; vars: string[]; pipe: Pipeline; body: Node[]; otherwise: Node[]; line: number }
interface WithNode { kind: 'with'; pipe: Pipeline; body: Node[]; otherwise: Node[]; line: number }
type Node = TextNode | ActionNode | IfNode | RangeNode | WithNode;

interface Pipeline { decl?: { names: string[]; assign: boolean }; cmds: Term[][] }
type Term =
  | { t: 'field'; base: 'dot' | string; path: string[] }
  | { t: 'lit'; v: Value }
  | { t: 'ident'; name: string }
  | { t: 'paren'; pipe: Pipeline; path: string[] };

export class TemplateError extends Error {}

// ---- lexing -------------------------------------------------------------------------------

interface RawAction { body: string; line: number }
type Piece = { text: string } | RawAction;

function lex(src: string, name: string): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  let trimNext = false;
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    let text = open < 0 ? src.slice(i) : src.slice(i, open);
    if (trimNext) text = text.replace(/^\s+/, '');
    trimNext = false;
    if (open < 0) {
      out.push({ text });
      break;
    }
    let j = open + 2;
    const trimLeft = src[j] === '-' && /\s/.test(src[j + 1] ?? '');
    if (trimLeft) {
      text = text.replace(/\s+$/, '');
      j += 1;
    }
    out.push({ text });
    // Find the closing braces outside string literals and comments.
    let k = j;
    let inString: string | null = null;
    for (; k < src.length; k++) {
      const c = src[k];
      if (inString) {
        if (c === '\\' && inString === '"') k++;
        else if (c === inString) inString = null;
      } else if (src.startsWith('/*', k)) {
        const end = src.indexOf('*/', k + 2);
        if (end < 0) throw new TemplateError(`${name}: unclosed comment`);
        k = end + 1;
      } else if (c === '"' || c === '`') {
        inString = c;
      } else if (src.startsWith('}}', k)) {
        break;
      }
    }
    if (k >= src.length) throw new TemplateError(`${name}: unclosed action at line ${lineOf(src, open)}`);
    let body = src.slice(j, k);
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      trimNext = true;
    }
    out.push({ body: body.trim(), line: lineOf(src, open) });
    i = k + 2;
  }
  return out;
}

function lineOf(src: string, at: number): number {
  return src.slice(0, at).split('\n').length;
}

function tokenize(body: string, where: string): string[] {
  const toks: string[] = [];
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < body.length && body[j] !== '"') j += body[j] === '\\' ? 2 : 1;
      toks.push(body.slice(i, j + 1));
      i = j + 1;
    } else if (c === '`') {
      const j = body.indexOf('`', i + 1);
      toks.push(body.slice(i, j + 1));
      i = j + 1;
    } else if (c === '(' || c === ')' || c === '|' || c === ',') {
      // A field chain right after `)`: `(index .x 0).name` becomes `)` then `.name`.
      toks.push(c);
      i++;
    } else if (body.startsWith(':=', i)) {
      toks.push(':=');
      i += 2;
    } else {
      let j = i;
      while (j < body.length && !/[\s()|,]/.test(body[j]!) && !body.startsWith(':=', j)) j++;
      // `(…).name` (no space) takes a field of the parenthesised value; `(…) .name` is an argument.
      toks.push(body[i - 1] === ')' && body[i] === '.' ? `)${body.slice(i, j)}` : body.slice(i, j));
      i = j;
    }
  }
  if (toks.some((t) => t.length === 0)) throw new TemplateError(`${where}: cannot tokenize "${body}"`);
  return toks;
}

// ---- parsing ------------------------------------------------------------------------------

function parsePipeline(toks: string[], where: string): Pipeline {
  let pos = 0;
  const p: Pipeline = { cmds: [] };
  // `$a := …`, `$a, $b := …` (range), `$a = …`
  const declEnd = toks.findIndex((t) => t === ':=' || t === '=');
  if (declEnd > 0 && toks.slice(0, declEnd).every((t) => t.startsWith('$') || t === ',')) {
    p.decl = { names: toks.slice(0, declEnd).filter((t) => t !== ','), assign: toks[declEnd] === '=' };
    pos = declEnd + 1;
  }
  const parseTerm = (): Term => {
    const tok = toks[pos++];
    if (tok === undefined) throw new TemplateError(`${where}: unexpected end of action`);
    if (tok === '(') {
      const start = pos;
      let depth = 1;
      while (pos < toks.length && depth > 0) {
        if (toks[pos] === '(') depth++;
        else if (toks[pos] === ')') depth--;
        pos++;
      }
      const inner = parsePipeline(toks.slice(start, pos - 1), where);
      let path: string[] = [];
      if (toks[pos]?.startsWith(').')) path = toks[pos++]!.slice(2).split('.');
      return { t: 'paren', pipe: inner, path };
    }
    if (tok.startsWith('"')) return { t: 'lit', v: JSON.parse(tok) };
    if (tok.startsWith('`')) return { t: 'lit', v: tok.slice(1, -1) };
    if (/^-?\d+(\.\d+)?$/.test(tok)) return { t: 'lit', v: Number(tok) };
    if (tok === 'true' || tok === 'false') return { t: 'lit', v: tok === 'true' };
    if (tok === 'nil') return { t: 'lit', v: null };
    if (tok === '.') return { t: 'field', base: 'dot', path: [] };
    if (tok.startsWith('.')) return { t: 'field', base: 'dot', path: tok.slice(1).split('.') };
    if (tok.startsWith('$')) {
      const [v, ...path] = tok.split('.');
      return { t: 'field', base: v!, path };
    }
    if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(tok)) return { t: 'ident', name: tok };
    throw new TemplateError(`${where}: unexpected "${tok}"`);
  };
  let cmd: Term[] = [];
  while (pos < toks.length) {
    if (toks[pos] === '|') {
      pos++;
      p.cmds.push(cmd);
      cmd = [];
      continue;
    }
    cmd.push(parseTerm());
  }
  p.cmds.push(cmd);
  if (p.cmds.some((c) => c.length === 0)) throw new TemplateError(`${where}: empty command in pipeline`);
  return p;
}

interface Parsed { nodes: Node[]; defines: Map<string, Node[]> }

function parse(src: string, name: string, defines: Map<string, Node[]>): Node[] {
  const pieces = lex(src, name);
  let i = 0;
  const parseList = (terminators: string[]): { nodes: Node[]; end: string; endBody: string } => {
    const nodes: Node[] = [];
    while (i < pieces.length) {
      const piece = pieces[i++]!;
      if ('text' in piece) {
        if (piece.text) nodes.push({ kind: 'text', text: piece.text });
        continue;
      }
      const where = `${name}:${piece.line}`;
      const body = piece.body;
      if (body.startsWith('/*')) continue;
      const word = body.split(/\s+/)[0]!;
      if (terminators.includes(word)) return { nodes, end: word, endBody: body.slice(word.length).trim() };
      if (word === 'if') {
        const node: IfNode = { kind: 'if', branches: [], otherwise: [], line: piece.line };
        let cond = parsePipeline(tokenize(body.slice(2), where), where);
        for (;;) {
          const r = parseList(['else', 'end']);
          node.branches.push({ cond, body: r.nodes });
          if (r.end === 'end') break;
          if (r.endBody.startsWith('if ')) {
            cond = parsePipeline(tokenize(r.endBody.slice(3), where), where);
            continue;
          }
          node.otherwise = parseList(['end']).nodes;
          break;
        }
        nodes.push(node);
      } else if (word === 'range' || word === 'with') {
        const toks = tokenize(body.slice(word.length), where);
        const pipe = parsePipeline(toks, where);
        const r = parseList(['else', 'end']);
        const otherwise = r.end === 'else' ? parseList(['end']).nodes : [];
        if (word === 'range') {
          const vars = pipe.decl?.names ?? [];
          delete pipe.decl;
          nodes.push({ kind: 'range', vars, pipe, body: r.nodes, otherwise, line: piece.line });
        } else {
          nodes.push({ kind: 'with', pipe, body: r.nodes, otherwise, line: piece.line });
        }
      } else if (word === 'define') {
        const defName = JSON.parse(body.slice(6).trim()) as string;
        defines.set(defName, parseList(['end']).nodes);
      } else if (word === 'end' || word === 'else') {
        throw new TemplateError(`${where}: unexpected {{${word}}}`);
      } else if (word === 'template' || word === 'block') {
        throw new TemplateError(`${where}: {{${word}}} is not supported here (use include)`);
      } else {
        nodes.push({ kind: 'action', pipe: parsePipeline(tokenize(body, where), where), line: piece.line });
      }
    }
    if (terminators.length > 0) throw new TemplateError(`${name}: missing {{end}}`);
    return { nodes, end: '', endBody: '' };
  };
  return parseList([]).nodes;
}

// ---- evaluation ---------------------------------------------------------------------------

export function truthy(v: Value): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

function printValue(v: Value): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TemplateError(`cannot print a ${Array.isArray(v) ? 'list' : 'map'} directly (use toYaml or toJson)`);
}

function field(v: Value, path: string[], where: string): Value {
  let cur = v;
  for (const key of path) {
    if (cur === null || cur === undefined) return undefined;
    if (typeof cur !== 'object') throw new TemplateError(`${where}: cannot take .${key} of ${typeof cur}`);
    cur = (cur as Record<string, Value>)[key];
  }
  return cur;
}

type Scope = Map<string, Value>;

export class ChartRenderer {
  private readonly defines = new Map<string, Node[]>();
  private readonly functions: Record<string, Fn>;

  constructor() {
    const self = this;
    const indent = (n: Value, s: Value): string => String(s).split('\n').map((l) => ' '.repeat(Number(n)) + l).join('\n');
    this.functions = {
      include: (name, data) => {
        const body = self.defines.get(String(name));
        if (!body) throw new TemplateError(`include: no template "${String(name)}"`);
        return self.run(body, data, new Map([['$', data]]));
      },
      printf: (fmt, ...args) => {
        let k = 0;
        return String(fmt).replace(/%[sdvq%]/g, (m) => (m === '%%' ? '%' : m === '%q' ? JSON.stringify(String(args[k++])) : printValue(args[k++])));
      },
      quote: (...vs) => vs.map((v) => JSON.stringify(printValue(v))).join(' '),
      squote: (v) => `'${printValue(v)}'`,
      default: (d, v) => (truthy(v) ? v : d),
      required: (msg, v) => {
        if (!truthy(v)) throw new TemplateError(String(msg));
        return v;
      },
      fail: (msg) => {
        throw new TemplateError(String(msg));
      },
      toYaml: (v) => (v === null || v === undefined ? 'null' : stringify(v, { lineWidth: 0 }).replace(/\n$/, '')),
      toJson: (v) => JSON.stringify(sortKeys(v)),
      nindent: (n, s) => `\n${indent(n, s)}`,
      indent,
      trunc: (n, s) => String(s).slice(0, Number(n)),
      trimSuffix: (suf, s) => (String(s).endsWith(String(suf)) ? String(s).slice(0, -String(suf).length) : String(s)),
      contains: (sub, s) => String(s).includes(String(sub)),
      upper: (s) => String(s).toUpperCase(),
      lower: (s) => String(s).toLowerCase(),
      dict: (...kv) => {
        const o: Record<string, Value> = {};
        for (let k = 0; k < kv.length; k += 2) o[String(kv[k])] = kv[k + 1];
        return o;
      },
      list: (...vs) => vs,
      append: (l, v) => [...(l as Value[]), v],
      join: (sep, l) => (l as Value[]).map(printValue).join(String(sep)),
      index: (v, ...keys) => keys.reduce((cur, k) => (cur as Record<string, Value> | undefined)?.[String(k)], v),
      len: (v) => (typeof v === 'string' || Array.isArray(v) ? v.length : Object.keys(v as object).length),
      int: (v) => Math.trunc(Number(v)),
      add1: (v) => Number(v) + 1,
      add: (...vs) => vs.reduce((a: number, b) => a + Number(b), 0),
      div: (a, b) => Math.trunc(Number(a) / Number(b)),
      eq: (a, ...bs) => bs.some((b) => a === b),
      ne: (a, b) => a !== b,
      not: (v) => !truthy(v),
      and: (...vs) => vs.find((v) => !truthy(v)) ?? vs.at(-1),
      or: (...vs) => vs.find((v) => truthy(v)) ?? vs.at(-1),
      b64enc: (v) => Buffer.from(printValue(v)).toString('base64'),
      b64dec: (v) => Buffer.from(printValue(v), 'base64').toString(),
      sha256sum: (v) => createHash('sha256').update(printValue(v)).digest('hex'),
      randAlphaNum: (n) => {
        const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
        return Array.from({ length: Number(n) }, () => abc[randomInt(abc.length)]).join('');
      },
      // Sprig's randBytes: n random bytes, base64.
      randBytes: (n) => randomBytes(Number(n)).toString('base64'),
      // Sprig's genCA / genSignedCert (same arguments, the same .Cert/.Key PEM fields, the same
      // extended key usages: serverAuth and clientAuth), with the project's own X.509 builder
      // standing in for Go's; its keys are EC P-256 where Sprig's are RSA 2048.
      genCA: (cn, days) => {
        const ca = createClusterCa({ now: new Date(), commonName: String(cn), validityDays: Number(days) });
        return { Cert: ca.certPem, Key: ca.keyPem };
      },
      genSignedCert: (cn, ips, dns, days, ca) => {
        const c = ca as { Cert: string; Key: string };
        const names = [...((ips as Value[] | null) ?? []), ...((dns as Value[] | null) ?? [])].map(String);
        const m = issueCertificate({ certPem: c.Cert, keyPem: c.Key }, {
          commonName: String(cn), subjectAltNames: names, usages: ['serverAuth', 'clientAuth'], now: new Date(), validityDays: Number(days),
        });
        return { Cert: m.certPem, Key: m.keyPem };
      },
      // `helm template` has no cluster to ask: lookup finds nothing, as there.
      lookup: () => ({}),
    };
  }

  /** Parses a template file; `define`s become available to every template. */
  addTemplate(name: string, src: string): Node[] {
    return parse(src, name, this.defines);
  }

  render(nodes: Node[], dot: Value): string {
    return this.run(nodes, dot, new Map([['$', dot]]));
  }

  private run(nodes: Node[], dot: Value, scope: Scope): string {
    let out = '';
    const local = new Map(scope);
    for (const n of nodes) {
      if (n.kind === 'text') {
        out += n.text;
      } else if (n.kind === 'action') {
        const v = this.pipeline(n.pipe, dot, local, `line ${n.line}`);
        if (!n.pipe.decl) out += printValue(v);
      } else if (n.kind === 'if') {
        const branch = n.branches.find((b) => truthy(this.pipeline(b.cond, dot, local, `line ${n.line}`)));
        out += this.run(branch ? branch.body : n.otherwise, dot, local);
      } else if (n.kind === 'with') {
        const v = this.pipeline(n.pipe, dot, local, `line ${n.line}`);
        out += truthy(v) ? this.run(n.body, v, local) : this.run(n.otherwise, dot, local);
      } else {
        const v = this.pipeline(n.pipe, dot, local, `line ${n.line}`);
        const entries: Array<[Value, Value]> = Array.isArray(v) ? v.map((x, i) => [i, x])
          : v && typeof v === 'object' ? Object.keys(v).sort().map((k) => [k, (v as Record<string, Value>)[k]]) : [];
        if (entries.length === 0) {
          out += this.run(n.otherwise, dot, local);
          continue;
        }
        for (const [k, x] of entries) {
          const inner = new Map(local);
          if (n.vars.length === 1) inner.set(n.vars[0]!, x);
          if (n.vars.length === 2) {
            inner.set(n.vars[0]!, k);
            inner.set(n.vars[1]!, x);
          }
          out += this.run(n.body, x, inner);
          // Assignments (`$x = …`) inside the body reach variables declared outside it.
          for (const key of local.keys()) if (inner.get(key) !== local.get(key) && !n.vars.includes(key)) local.set(key, inner.get(key));
        }
      }
    }
    for (const key of scope.keys()) if (local.get(key) !== scope.get(key)) scope.set(key, local.get(key));
    return out;
  }

  private pipeline(p: Pipeline, dot: Value, scope: Scope, where: string): Value {
    let acc: Value = undefined;
    p.cmds.forEach((cmd, i) => {
      acc = this.command(cmd, dot, scope, where, i === 0 ? [] : [acc]);
    });
    if (p.decl) {
      const name = p.decl.names[0]!;
      if (p.decl.assign && !scope.has(name)) throw new TemplateError(`${where}: assignment to undeclared ${name}`);
      scope.set(name, acc);
    }
    return acc;
  }

  private command(cmd: Term[], dot: Value, scope: Scope, where: string, piped: Value[]): Value {
    const [head, ...rest] = cmd;
    const args = (): Value[] => [...rest.map((t) => this.term(t, dot, scope, where)), ...piped];
    if (head!.t === 'ident') {
      const fn = this.functions[head!.name];
      if (!fn) throw new TemplateError(`${where}: unknown function ${head!.name}`);
      // and/or evaluate lazily in Go; the chart's uses have no side effects, so eager is the same.
      return fn(...args());
    }
    const v = this.term(head!, dot, scope, where);
    if (typeof v === 'function') return (v as Fn)(...args());
    if (rest.length > 0 || piped.length > 0) throw new TemplateError(`${where}: ${JSON.stringify(v)} is not a function`);
    return v;
  }

  private term(t: Term, dot: Value, scope: Scope, where: string): Value {
    if (t.t === 'lit') return t.v;
    if (t.t === 'ident') {
      const fn = this.functions[t.name];
      if (!fn) throw new TemplateError(`${where}: unknown function ${t.name}`);
      return fn();
    }
    if (t.t === 'paren') return field(this.pipeline(t.pipe, dot, scope, where), t.path, where);
    if (t.base === 'dot') return field(dot, t.path, where);
    if (!scope.has(t.base)) throw new TemplateError(`${where}: undefined variable ${t.base}`);
    return field(scope.get(t.base), t.path, where);
  }
}

function sortKeys(v: Value): Value {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, Value>)[k])]));
  return v;
}
