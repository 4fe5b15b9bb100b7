// The method notes printed above the suite's table: what ran where, how it was measured, and
// how to read the ratios. Kept apart from the rendering so the wording is easy to find.
export function suiteNotes(seconds: number, rounds: number): string[] {
  return [
    'Everything on this one machine: the local cluster as `zonestore up` runs it (three zone processes, each a meta replica, '
      + '3 data nodes and an S3 gateway; RS(6,3) over the 9 data nodes, small objects 3 replicas), s3rver 3.7.1 (one process, '
      + 'files in a temp dir, no fsync, no erasure coding), nginx (one process, sendfile) and the fsync sink (node:http: body → '
      + 'file → fsync → answer), all driven by this one load process with @aws-sdk/client-s3.',
    `Closed loop, c operations in flight. Each target gets ${seconds} s per cell, cut into ${rounds} slices interleaved with the other `
      + 'targets (A B C A B C), so load drift on the shared machine hits all alike; sockets are opened before each slice, untimed. '
      + 'Delete runs a fixed number of operations instead (it consumes objects written beforehand).',
    'Same client for all: path-style, SigV4 over plain HTTP (the SDK hashes every payload), checksums only when required, '
      + 'keep-alive, no retries. zonestore spreads operations over its three gateways.',
    'GETs read a pool of objects written before the measured phase (at most 512 MiB per target; nginx gets the same bytes as files) '
      + 'and check each body\'s length. "× limit" is the target\'s operations per second over the limit server\'s in the same cell '
      + '(sizes are fixed, so the same as the MiB/s ratio); "× s3rver" likewise.',
    'The limit servers do next to nothing per request, so for small objects their rows are bound by this one client process '
      + '(its CPU column nears 100%): they show the most this client can drive here, the ceiling for every target alike.',
    'CPU: utime + stime from /proc over each target\'s own slices, % of one core (zonestore: the sum, then each zone); "server CPU ms/op" divides all of a target\'s server CPU by its operations — '
      + 'on 2 cores shared by servers and client, it is what bounds throughput once the cores are full. '
      + 'Peak RSS: highest VmRSS seen while measured, per process. "others CPU": processes outside the benchmark — when high, '
      + 'the machine set the pace, not the target.',
  ];
}
