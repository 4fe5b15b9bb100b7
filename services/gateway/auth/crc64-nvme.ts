// CRC-64/NVME, the checksum S3 calls CRC64NVME: reflected, polynomial 0xad93d23594c93659
// (0x9a6c9329ac4bc9b5 bit-reversed), initial value and final xor all ones. The table-driven
// core is shared with OSS's CRC-64/ECMA (checksums/reflected-crc64.ts); only the tables differ.
import { type Crc64Register, ReflectedCrc64 } from '../checksums/reflected-crc64.ts';

const ENGINE = new ReflectedCrc64(0x9a6c9329ac4bc9b5n);

/** Incremental CRC-64/NVME; `digest()` gives the 8 bytes big-endian, as S3 encodes them. */
export class Crc64Nvme {
  // The register, pre-inverted (initial value all ones).
  private readonly reg: Crc64Register = { lo: -1, hi: -1 };

  update(data: Uint8Array): this {
    ENGINE.update(this.reg, data);
    return this;
  }

  digest(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32BE(~this.reg.hi >>> 0, 0);
    out.writeUInt32BE(~this.reg.lo >>> 0, 4);
    return out;
  }
}

/** CRC-64/NVME of one buffer, 8 bytes big-endian. */
export function crc64Nvme(data: Uint8Array): Buffer {
  return new Crc64Nvme().update(data).digest();
}
