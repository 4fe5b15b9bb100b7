// Object tagging (OSS ?tagging): the tag set of a version, replaced whole, kept in meta with
// the version's attributes (no new version, no new modification time).
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import { readBodyFully } from '../auth/index.ts';
import { MAX_XML_BODY_BYTES } from '../http/gateway-limits.ts';
import { objectKey, addressedBucket } from './bucket-access.ts';
import { type Handler, sendEmpty, sendXml, type RequestContext } from './request-context.ts';

function taggingXml(ctx: RequestContext) {
  const { renderTagging, parseTagging } = ctx.dialect.xml;
  if (!renderTagging || !parseTagging) throw new StoreError('NotImplemented', 'Object tagging is not implemented in this dialect');
  return { renderTagging, parseTagging };
}

export const putObjectTagging: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const tags = taggingXml(ctx).parseTagging(await readBodyFully(ctx.body(), MAX_XML_BODY_BYTES));
  await metaCall(ctx.services.meta.call('putObjectTagging', { bucket: bucket.name, key, versionId: ctx.request.query.get('versionId') ?? '', tags }));
  sendEmpty(ctx, 200);
};

export const getObjectTagging: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const { renderTagging } = taggingXml(ctx);
  const { version } = await metaCall(ctx.services.meta.call('getObject', { bucket: bucket.name, key, versionId: ctx.request.query.get('versionId') ?? '' }));
  if (!version || version.deleteMarker) throw new StoreError('NoSuchKey', 'The specified key does not exist.', { Key: key });
  sendXml(ctx, 200, renderTagging(version.attributes?.tags ?? {}));
};

export const deleteObjectTagging: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  await metaCall(ctx.services.meta.call('deleteObjectTagging', { bucket: bucket.name, key, versionId: ctx.request.query.get('versionId') ?? '' }));
  sendEmpty(ctx, 204);
};
