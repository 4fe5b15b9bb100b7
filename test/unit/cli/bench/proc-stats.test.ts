// /proc parsing: CPU time of a process whose name holds spaces and parentheses, resident memory,
// and the machine's busy time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMachineBusyMillis, parseStatCpuMillis, parseStatusBytes } from '../../../../services/cli/bench/proc-stats.ts';
import { errorCode } from '../../../../services/cli/bench/error-code.ts';

test('utime + stime in ms, after a command name with spaces and a ")"', () => {
  const stat = '4242 (node (zone) 1) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 130 0 0 20 0 11 0 1000 1 2 3';
  assert.equal(parseStatCpuMillis(stat), (250 + 130) * 10);
});

test('VmRSS and VmHWM in bytes; absent fields are undefined', () => {
  const status = 'Name:\tnode\nVmPeak:\t 999 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
  assert.equal(parseStatusBytes(status, 'VmRSS'), 100 * 2 ** 20);
  assert.equal(parseStatusBytes(status, 'VmHWM'), 200 * 2 ** 20);
  assert.equal(parseStatusBytes('Name:\tx\n', 'VmRSS'), undefined);
});

test('machine busy time counts user, nice, system, irq, softirq and steal, not idle or iowait', () => {
  assert.equal(parseMachineBusyMillis('cpu  100 5 50 9999 777 3 2 1 0 0\ncpu0 1 2 3'), (100 + 5 + 50 + 3 + 2 + 1) * 10);
});

test('error codes: the S3 code with its status, else the socket error', () => {
  assert.equal(errorCode(Object.assign(new Error('x'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } })), 'SlowDown (HTTP 503)');
  assert.equal(errorCode(Object.assign(new Error('x'), { code: 'ECONNRESET' })), 'ECONNRESET');
  assert.equal(errorCode(Object.assign(new Error('x'), { name: 'TimeoutError' })), 'TimeoutError');
  assert.equal(errorCode('weird'), 'Error');
});
