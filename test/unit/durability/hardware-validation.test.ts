// Hardware inputs are checked with messages that name the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hardwareFrom, validateHardware } from '../../../benchmarks/durability/hardware-validation.ts';
import { DEFAULT_HARDWARE } from '../../../benchmarks/durability/durability-table.ts';

test('the default hardware is valid; overrides apply and undefined ones are ignored', () => {
  assert.deepEqual(validateHardware(DEFAULT_HARDWARE), DEFAULT_HARDWARE);
  const hw = hardwareFrom({ repairMiBps: 25, afr: undefined });
  assert.equal(hw.repairMiBps, 25);
  assert.equal(hw.afr, DEFAULT_HARDWARE.afr);
});

test('bad values fail with the field and the reason', () => {
  assert.throws(() => hardwareFrom({ afr: -0.01 }), /afr: afr must be above 0/);
  assert.throws(() => hardwareFrom({ fill: 70 }), /fill: fill is a fraction: at most 1/);
  assert.throws(() => hardwareFrom({ fill: 0 }), /fill must be above 0/);
  assert.throws(() => hardwareFrom({ zones: 2.5 }), /zones must be a whole number/);
  assert.throws(() => hardwareFrom({ nodesPerZone: 0 }), /nodesPerZone must be at least 1/);
  assert.throws(() => hardwareFrom({ repairMiBps: 0 }), /repairMiBps must be above 0/);
  assert.throws(() => hardwareFrom({ detectionHours: -1 }), /detectionHours must not be negative/);
  assert.throws(() => hardwareFrom({ zoneOutageHours: Number.NaN }), /zoneOutageHours must be a finite number/);
  assert.throws(() => hardwareFrom({ afr: 15 }), /afr is a fraction per year/);
});

test('every problem is listed at once; missing and unknown fields are named', () => {
  const error = (() => {
    try {
      hardwareFrom({ afr: -1, fill: 2 });
    } catch (e) {
      return (e as Error).message;
    }
    return '';
  })();
  assert.match(error, /afr/);
  assert.match(error, /fill/);
  assert.throws(() => validateHardware({ zones: 3 }), /nodesPerZone is missing/);
  assert.throws(() => validateHardware({ ...DEFAULT_HARDWARE, afrPercent: 1.57 }), /afrPercent/);
  assert.throws(() => validateHardware(null), /bad hardware/);
});
