// The Go-template evaluator the Helm chart test renders with, on cases whose output text/template
// and Sprig define: trimming, control structures, variables and scope, pipelines, functions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChartRenderer, TemplateError } from './helm/go-template.ts';

function render(src: string, dot: unknown = {}, helpers = ''): string {
  const r = new ChartRenderer();
  if (helpers) r.addTemplate('_helpers.tpl', helpers);
  return r.render(r.addTemplate('t.yaml', src), dot);
}

test('text, actions and {{- -}} trimming', () => {
  assert.equal(render('a: {{ .x }}\nb: {{ .y }}', { x: 1, y: 'two' }), 'a: 1\nb: two');
  assert.equal(render('a\n  {{- "b" -}}\n  c'), 'abc');
  assert.equal(render('{{/* a comment */}}x{{- /* another */ -}} y'), 'xy');
  assert.equal(render('{{ "}}" }}'), '}}', 'a string may hold the closing braces');
});

test('if / else if / else, with, range with one and two variables, and Go truthiness', () => {
  const t = '{{ if .a }}A{{ else if .b }}B{{ else }}C{{ end }}';
  assert.equal(render(t, { a: 1 }), 'A');
  assert.equal(render(t, { a: 0, b: 'x' }), 'B');
  assert.equal(render(t, { a: [], b: {} }), 'C', 'empty list and map are false');
  assert.equal(render('{{ with .m }}{{ .k }}{{ else }}none{{ end }}', { m: { k: 'v' } }), 'v');
  assert.equal(render('{{ with .m }}{{ .k }}{{ else }}none{{ end }}', {}), 'none');
  assert.equal(render('{{ range .l }}[{{ . }}]{{ end }}', { l: ['a', 'b'] }), '[a][b]');
  assert.equal(render('{{ range $i, $v := .l }}{{ $i }}={{ $v }};{{ end }}', { l: ['a', 'b'] }), '0=a;1=b;');
  assert.equal(render('{{ range $k, $v := .m }}{{ $k }}={{ $v }};{{ end }}', { m: { b: 2, a: 1 } }), 'a=1;b=2;', 'maps range in key order');
  assert.equal(render('{{ range .l }}x{{ else }}empty{{ end }}', { l: [] }), 'empty');
});

test('variables: $ is the root, := declares, = assigns across a range body', () => {
  assert.equal(render('{{ range .l }}{{ $.top }}{{ end }}', { top: 'T', l: [1, 2] }), 'TT');
  assert.equal(render('{{ $acc := list }}{{ range .l }}{{ $acc = append $acc . }}{{ end }}{{ join "," $acc }}', { l: ['a', 'b', 'c'] }), 'a,b,c');
  assert.throws(() => render('{{ $nope = 1 }}'), TemplateError);
  assert.throws(() => render('{{ $undefined }}'), /undefined variable/);
});

test('pipelines, parentheses with fields, define/include and the Sprig functions used', () => {
  const helpers = '{{- define "name" -}}{{ .a }}-{{ .b }}{{- end -}}';
  assert.equal(render('{{ include "name" (dict "a" 1 "b" 2) | upper }}', {}, helpers), '1-2');
  assert.equal(render('{{ (index .l 1).n }}', { l: [{ n: 'x' }, { n: 'y' }] }), 'y');
  assert.equal(render('{{ .v | default "d" | quote }}', {}), '"d"');
  assert.equal(render('{{ printf "%s:%d" "h" 7 }}'), 'h:7');
  assert.equal(render('x:{{ toYaml .m | nindent 2 }}', { m: { a: 1, b: [1, 2] } }), 'x:\n  a: 1\n  b:\n    - 1\n    - 2');
  assert.equal(render('{{ toJson .m }}', { m: { b: 1, a: 2 } }), '{"a":2,"b":1}');
  assert.equal(render('{{ "abcdef-" | trunc 5 | trimSuffix "e" }}'), 'abcd');
  assert.equal(render('{{ and 1 "" }}|{{ or 0 "x" }}|{{ not 0 }}|{{ eq 1 1 }}'), '|x|true|true');
  assert.equal(render('{{ add1 (div 3 2) }}|{{ len .l }}', { l: [1, 2, 3] }), '2|3');
  assert.equal(render('{{ "hi" | b64enc }}|{{ "aGk=" | b64dec }}'), 'aGk=|hi');
  assert.equal(render('{{ .C.Has "x/v1" }}', { C: { Has: (v: string) => v === 'x/v1' } }), 'true');
  assert.throws(() => render('{{ required "need it" .missing }}'), /need it/);
  assert.throws(() => render('{{ fail "stop" }}'), /stop/);
  assert.throws(() => render('{{ nosuchfunc 1 }}'), /unknown function nosuchfunc/);
  assert.throws(() => render('{{ if .a }}open'), /missing \{\{end\}\}/);
});
