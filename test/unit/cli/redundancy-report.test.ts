// The text of `zonestore redundancy`: a one-line verdict, then one line per degraded shard.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderRedundancyReport } from '../../../services/cli/redundancy-command.ts';

test('the report says full redundancy, or lists each degraded shard with where it is', () => {
  const base = { objectsChecked: 2, stripesChecked: 3, shardsChecked: 21, degraded: [], unrebuildable: [], problems: [] };
  assert.equal(renderRedundancyReport(base), '2 objects, 3 stripes, 21 shards checked: full redundancy');
  const text = renderRedundancyReport({
    ...base,
    degraded: [
      { bucket: 'b', key: 'k', versionId: 'null', uploadId: '', part: 1, stripe: 0, shard: 2, node: 'zone-1-data-1', zone: 'zone-1', chunkId: 'c', state: 'corrupt' },
      { bucket: 'b', key: 'm', versionId: '', uploadId: 'u1', part: 3, stripe: 1, shard: 0, node: null, zone: 'zone-2', chunkId: null, state: 'absent' },
    ],
    unrebuildable: [{ bucket: 'b', key: 'k', versionId: 'null', uploadId: '', part: 1, stripe: 4, valid: 5, needed: 6 }],
  });
  assert.deepEqual(text.split('\n'), [
    '2 objects, 3 stripes, 21 shards checked: 2 shards degraded',
    '  corrupt      b/k version null part 1 stripe 0 shard 2 on zone-1-data-1',
    '  absent       b/m upload u1 part 3 stripe 1 shard 0 on (none, zone-2)',
    'unrebuildable now: b/k part 1 stripe 4: 5 valid of 6 needed',
  ]);
});
