// How one manifest part is coded. A manifest names one scheme and block size; a part keeps its
// own only when its bytes were written differently (an append during a zone outage fell back to
// replicas while the object began as RS, or the other way round). Stored only when different,
// so the common manifest stays as small as before and readers that predate per-part schemes
// read every ordinary manifest correctly.
import { equals } from '@bufbuild/protobuf';
import { SchemeSchema, type Scheme } from '../../common/gen/zonestore/meta/v1/records_pb.ts';

export interface Coding {
  scheme: Scheme | undefined;
  blockSize: bigint;
}

/** The part's own coding to store: none (undefined, 0) when it is the manifest's or unknown. */
export function partCoding(manifest: Coding, written: Coding): Coding {
  if (!written.scheme) return { scheme: undefined, blockSize: 0n };
  const same = manifest.scheme !== undefined && equals(SchemeSchema, manifest.scheme, written.scheme) && manifest.blockSize === written.blockSize;
  return same ? { scheme: undefined, blockSize: 0n } : written;
}

/** The coding a part is read with: its own when it has one, else the manifest's. */
export function effectiveCoding(manifest: Coding, part: Coding): Coding {
  return part.scheme ? part : manifest;
}
