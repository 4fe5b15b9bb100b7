// OSS hotlink protection on its own: the empty-Referer rule, blacklist before whitelist, the two
// truncations, wildcards, prefix entries and scheme-less entries, and the configuration limits.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  checkReferer, compileRefererConfiguration, DEFAULT_REFERER_CONFIGURATION, MAX_REFERER_ENTRIES, truncateReferer,
  type CompiledRefererConfiguration, type RefererConfiguration,
} from '../../../../services/gateway/authz/index.ts';

function config(c: Partial<RefererConfiguration>): CompiledRefererConfiguration {
  const r = compileRefererConfiguration({ ...DEFAULT_REFERER_CONFIGURATION, ...c });
  if (!('config' in r)) throw r;
  return r;
}

describe('empty Referer', () => {
  test('allowed when AllowEmptyReferer', () => {
    assert.equal(checkReferer(config({ whitelist: ['https://a.test'] }), undefined), 'allowed');
  });
  test('refused when not allowed and the whitelist is not empty', () => {
    assert.equal(checkReferer(config({ allowEmptyReferer: false, whitelist: ['https://a.test'] }), ''), 'empty-referer-denied');
  });
  test('allowed when not allowed but the whitelist is empty (OSS: the rule then has nothing to protect)', () => {
    assert.equal(checkReferer(config({ allowEmptyReferer: false }), undefined), 'allowed');
  });
});

describe('lists', () => {
  test('the default configuration allows every Referer', () => {
    assert.equal(checkReferer(config({}), 'https://anything.test/x'), 'allowed');
  });
  test('a blacklist match refuses even when the whitelist matches too', () => {
    const c = config({ whitelist: ['*'], blacklist: ['https://*.hack.test'] });
    assert.equal(checkReferer(c, 'https://www.hack.test/page'), 'blacklisted');
    assert.equal(checkReferer(c, 'https://www.ok.test/page'), 'allowed');
  });
  test('a non-empty whitelist refuses what it does not match', () => {
    const c = config({ whitelist: ['https://www.example.com'] });
    assert.equal(checkReferer(c, 'https://www.example.com/a/b'), 'allowed');
    assert.equal(checkReferer(c, 'https://evil.test/?r=https://www.example.com'), 'not-whitelisted');
  });
  test('entries are prefixes, compared case-insensitively', () => {
    const c = config({ whitelist: ['http://www.aliyun.com'] });
    assert.equal(checkReferer(c, 'HTTP://WWW.ALIYUN.COM.cn/x'), 'allowed');
  });
  test('`?` matches one character, `*` any run', () => {
    const c = config({ whitelist: ['https://www.?.example.com', 'http://www.*.com'] });
    assert.equal(checkReferer(c, 'https://www.a.example.com/'), 'allowed');
    assert.equal(checkReferer(c, 'https://www.ab.example.com/'), 'not-whitelisted');
    assert.equal(checkReferer(c, 'http://www.x.y.com/z'), 'allowed');
  });
  test('an entry without a scheme matches either scheme', () => {
    const c = config({ whitelist: ['*.example.com'] });
    assert.equal(checkReferer(c, 'https://www.example.com/page'), 'allowed');
    assert.equal(checkReferer(c, 'http://cdn.example.com'), 'allowed');
    assert.equal(checkReferer(c, 'https://example.org/'), 'not-whitelisted');
  });
});

describe('truncation', () => {
  test('the query string is cut by default (AllowTruncateQueryString)', () => {
    assert.equal(truncateReferer('https://a.test/p?x=1#f', DEFAULT_REFERER_CONFIGURATION), 'https://a.test/p');
    const c = config({ whitelist: ['https://a.test/p'], blacklist: ['*x=1'] });
    assert.equal(checkReferer(c, 'https://a.test/p?x=1'), 'allowed');
  });
  test('without AllowTruncateQueryString the query string takes part in matching', () => {
    const c = config({ allowTruncateQueryString: false, whitelist: ['https://a.test/p'], blacklist: ['*x=1'] });
    assert.equal(checkReferer(c, 'https://a.test/p?x=1'), 'blacklisted');
  });
  test('TruncatePath keeps scheme://host[:port] only', () => {
    assert.equal(truncateReferer('https://a.test:8443/p/q?x', { allowTruncateQueryString: true, truncatePath: true }), 'https://a.test:8443');
    const c = config({ truncatePath: true, whitelist: ['https://a.test'], blacklist: ['*/private'] });
    assert.equal(checkReferer(c, 'https://a.test/private'), 'allowed');
  });
});

describe('limits', () => {
  test(`more than ${MAX_REFERER_ENTRIES} entries or an empty entry is InvalidArgument`, () => {
    const many = compileRefererConfiguration({ ...DEFAULT_REFERER_CONFIGURATION, whitelist: Array.from({ length: MAX_REFERER_ENTRIES + 1 }, (_, i) => `h${i}.test`) });
    assert.ok(!('config' in many) && many.code === 'InvalidArgument');
    const empty = compileRefererConfiguration({ ...DEFAULT_REFERER_CONFIGURATION, blacklist: [' '] });
    assert.ok(!('config' in empty) && empty.code === 'InvalidArgument');
  });
});
