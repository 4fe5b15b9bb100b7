// Stores one delivered log object through the gateway's own write path (the data path's
// erasure-coded / replicated stripes, then a manifest commit in meta), as the target bucket's
// owner: a log object is an ordinary object of the target bucket.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { Crc64Ecma } from '../checksums/crc64-ecma.ts';
import { metaCall } from '../errors/meta-error-mapping.ts';
import { CRC64_ECMA } from '../handlers/crc64-tap.ts';
import type { GatewayServices } from '../handlers/request-context.ts';

export async function storeLogObject(services: GatewayServices, bucketName: string, key: string, body: Buffer): Promise<void> {
  const bucket = await services.buckets.get(bucketName);
  const written = await services.data.write(Readable.from([body]), { size: body.length });
  const etag = createHash('md5').update(body).digest('hex');
  const crc = new Crc64Ecma();
  crc.update(body);
  await metaCall(services.meta.call('putObject', {
    bucket: bucket.name, key, size: BigInt(body.length), etag, checksums: { [CRC64_ECMA]: crc.digest() },
    attributes: { owner: bucket.owner, contentType: 'text/plain' },
    manifest: {
      scheme: written.scheme, blockSize: BigInt(written.blockSize),
      parts: [{ number: 1, size: BigInt(body.length), etag, stripes: written.stripes }],
    },
    preconditions: { ifMatch: '', ifNoneMatch: '' },
  }));
}
