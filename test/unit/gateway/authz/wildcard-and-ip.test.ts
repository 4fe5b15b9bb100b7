// The two matchers everything else stands on: `*`/`?` patterns (against a RegExp reference)
// and IPv4/IPv6 addresses and CIDR blocks.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { cidrContains, compileWildcard, globMatch, parseCidr, parseIpAddress } from '../../../../services/gateway/authz/index.ts';

const SEED = 1107;

function reference(pattern: string, input: string, ignoreCase = false): boolean {
  const body = [...pattern].map((c) => (c === '*' ? '[\\s\\S]*' : c === '?' ? '[\\s\\S]' : c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '').test(input);
}

describe('wildcards', () => {
  test('exact, prefix, suffix, general and match-all forms', () => {
    assert.equal(compileWildcard('abc')('abc'), true);
    assert.equal(compileWildcard('abc')('abcd'), false);
    assert.equal(compileWildcard('ab*')('abzzz'), true);
    assert.equal(compileWildcard('*yz')('xxyz'), true);
    assert.equal(compileWildcard('a*c?e')('abbbcde'), true);
    assert.equal(compileWildcard('**')(''), true);
    assert.equal(compileWildcard('?')(''), false);
    assert.equal(compileWildcard('A*', { ignoreCase: true })('abc'), true);
  });
  test('agrees with a RegExp reference on random patterns (seeded)', () => {
    const alphabet = fc.constantFrom('a', 'b', '*', '?', '/', '.', 'é');
    const word = fc.array(alphabet, { maxLength: 10 }).map((cs) => cs.join(''));
    const text = fc.array(fc.constantFrom('a', 'b', 'A', '/', '.', 'é', 'É'), { maxLength: 14 }).map((cs) => cs.join(''));
    fc.assert(fc.property(word, text, fc.boolean(), (p, s, ic) => {
      assert.equal(compileWildcard(p, { ignoreCase: ic })(s), reference(p, s, ic));
      if (!ic) assert.equal(globMatch(p, s), reference(p, s));
    }), { seed: SEED, numRuns: 3000 });
  });
  test('patterns of more than 32 tokens (several automaton words) agree with the greedy walk (seeded)', () => {
    const unit = fc.constantFrom('a', 'b', 'ü');
    const word = fc.array(fc.constantFrom('a', 'b', '?', '*', 'ü'), { minLength: 33, maxLength: 120 }).map((cs) => cs.join(''));
    // Inputs built from the pattern (stars filled, `?` replaced), then sometimes damaged at one place.
    const arb = fc.record({
      p: word,
      fills: fc.array(fc.array(unit, { maxLength: 4 }).map((cs) => cs.join('')), { minLength: 120, maxLength: 120 }),
      damage: fc.option(fc.tuple(fc.nat(), unit), { nil: undefined }),
    }).map(({ p, fills, damage }) => {
      let i = 0;
      let s = [...p].map((c) => (c === '*' ? fills[i++]! : c === '?' ? (fills[i++]!.charAt(0) || 'a') : c)).join('');
      if (damage) {
        const at = damage[0] % (s.length + 1);
        s = s.slice(0, at) + damage[1] + s.slice(at + 1);
      }
      return { p, s };
    });
    let matched = 0;
    fc.assert(fc.property(arb, ({ p, s }) => {
      const want = globMatch(p, s);
      if (want) matched++;
      assert.equal(compileWildcard(p)(s), want);
    }), { seed: SEED, numRuns: 1500 });
    assert.ok(matched > 300 && matched < 1400, `long patterns both match and fail (${matched} of 1500 matched)`);
  });
  test('a hostile pattern stays fast (no exponential backtracking)', () => {
    // No timing assertion: a backtracking matcher would simply not finish these in the test's lifetime.
    for (const p of [`${'*a'.repeat(40)}*b`, `*${'a'.repeat(2000)}b`, `*${'?'.repeat(500)}b`, `${'*?'.repeat(600)}*b`]) {
      assert.equal(compileWildcard(p)('a'.repeat(1024)), false, p.slice(0, 20));
    }
  });
});

describe('IP addresses and CIDR blocks', () => {
  test('IPv4 parsing refuses out-of-range and leading-zero octets', () => {
    assert.deepEqual(parseIpAddress('10.1.2.3'), { family: 4, words: [0x0a010203] });
    assert.equal(parseIpAddress('256.1.1.1'), undefined);
    assert.equal(parseIpAddress('01.1.1.1'), undefined);
    assert.equal(parseIpAddress('1.2.3'), undefined);
  });
  test('IPv6 forms: full, compressed, embedded IPv4, zone, brackets', () => {
    assert.deepEqual(parseIpAddress('2001:db8::1')?.words, [0x20010db8, 0, 0, 1]);
    assert.deepEqual(parseIpAddress('::')?.words, [0, 0, 0, 0]);
    assert.deepEqual(parseIpAddress('[fe80::1%eth0]')?.words, [0xfe800000, 0, 0, 1]);
    assert.deepEqual(parseIpAddress('64:ff9b::1.2.3.4')?.words, [0x0064ff9b, 0, 0, 0x01020304]);
    assert.deepEqual(parseIpAddress('1:2:3:4:5:6:7:8')?.words, [0x10002, 0x30004, 0x50006, 0x70008]);
    for (const bad of ['1::2::3', '1:2:3:4:5:6:7:8:9', '12345::', ':::', 'g::1', '1:2:3:4:5:6:7::8']) {
      assert.equal(parseIpAddress(bad), undefined, bad);
    }
  });
  test('IPv4-mapped IPv6 is the IPv4 address', () => {
    assert.deepEqual(parseIpAddress('::ffff:10.0.0.1'), { family: 4, words: [0x0a000001] });
  });
  test('CIDR containment at every prefix length edge', () => {
    const b = parseCidr('10.20.0.0/14')!;
    assert.equal(cidrContains(b, parseIpAddress('10.23.255.255')!), true);
    assert.equal(cidrContains(b, parseIpAddress('10.24.0.0')!), false);
    assert.equal(cidrContains(parseCidr('0.0.0.0/0')!, parseIpAddress('8.8.8.8')!), true);
    assert.equal(cidrContains(parseCidr('2001:db8::/127')!, parseIpAddress('2001:db8::1')!), true);
    assert.equal(cidrContains(parseCidr('2001:db8::/128')!, parseIpAddress('2001:db8::1')!), false);
    assert.equal(cidrContains(parseCidr('::/0')!, parseIpAddress('10.0.0.1')!), false, 'families never mix');
    assert.equal(parseCidr('10.0.0.0/33'), undefined);
    assert.equal(parseCidr('2001:db8::/129'), undefined);
    assert.equal(parseCidr('10.0.0.0/'), undefined);
  });
  test('an IPv4-mapped block counts the mapping\'s 96 bits', () => {
    const b = parseCidr('::ffff:10.0.0.0/104')!;
    assert.equal(b.prefixLength, 8);
    assert.equal(cidrContains(b, parseIpAddress('10.255.0.1')!), true);
  });
  test('containment agrees with a BigInt reference for random IPv6 blocks (seeded)', () => {
    const word = fc.integer({ min: 0, max: 0xffff });
    const addr = fc.array(word, { minLength: 8, maxLength: 8 });
    const text = (ws: number[]) => ws.map((w) => w.toString(16)).join(':');
    const big = (ws: number[]) => ws.reduce((a, w) => (a << 16n) | BigInt(w), 0n);
    fc.assert(fc.property(addr, addr, fc.integer({ min: 0, max: 128 }), (a, b, len) => {
      if (a[0] === 0 && a[1] === 0 && a[2] === 0 && a[3] === 0 && a[4] === 0 && a[5] === 0xffff) return;
      if (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0 && b[4] === 0 && b[5] === 0xffff) return;
      const mask = len === 0 ? 0n : ((1n << 128n) - 1n) ^ ((1n << BigInt(128 - len)) - 1n);
      const want = (big(a) & mask) === (big(b) & mask);
      assert.equal(cidrContains(parseCidr(`${text(a)}/${len}`)!, parseIpAddress(text(b))!), want);
    }), { seed: SEED, numRuns: 2000 });
  });
});
