// Fails when the committed generated code under services/common/gen differs from what
// `npm run gen` produces from proto/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

const GEN_DIR = 'services/common/gen';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

test('committed generated protobuf code matches proto/', { timeout: 60_000 }, () => {
  const tmp = mkdtempSync(join(tmpdir(), 'zs-gen-'));
  try {
    const template = readFileSync('proto/buf.gen.yaml', 'utf8').replace(/out: .*/, `out: ${join(tmp, 'gen')}`);
    writeFileSync(join(tmp, 'buf.gen.yaml'), template);
    execFileSync('npx', ['buf', 'generate', 'proto', '--template', join(tmp, 'buf.gen.yaml')], { stdio: 'pipe' });
    const fresh = listFiles(join(tmp, 'gen')).map((p) => relative(join(tmp, 'gen'), p));
    const committed = listFiles(GEN_DIR).map((p) => relative(GEN_DIR, p));
    assert.deepEqual(committed, fresh, 'generated file set differs: run `npm run gen`');
    for (const f of fresh) {
      assert.equal(
        readFileSync(join(GEN_DIR, f), 'utf8'),
        readFileSync(join(tmp, 'gen', f), 'utf8'),
        `${f} is stale: run \`npm run gen\``,
      );
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
