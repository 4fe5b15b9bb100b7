// Listings: objects (v1 and v2), multipart uploads and parts. Meta does the paging; the
// dialect renders. max-keys 0 is a legal question with an empty answer.
import { metaCall } from '../errors/meta-error-mapping.ts';
import { StoreError } from '../errors/store-error.ts';
import {
  parseEncodingType, parseListLimit, parsePartNumberMarker,
} from '../s3/index.ts';
import { objectKey, addressedBucket } from './bucket-access.ts';
import { type Handler, sendXml } from './request-context.ts';

export const listObjectsV1: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const q = ctx.request.query;
  const maxKeys = parseListLimit(q.get('max-keys'), 'max-keys');
  parseEncodingType(q.get('encoding-type'));
  const request = { bucket: bucket.name, prefix: q.get('prefix') ?? '', delimiter: q.get('delimiter') ?? '', startAfter: q.get('marker') ?? '' };
  const res = maxKeys === 0
    ? { objects: [], commonPrefixes: [], isTruncated: false, nextContinuationToken: '', nextMarker: '' }
    : await metaCall(ctx.services.meta.call('listObjects', { ...request, maxKeys }));
  sendXml(ctx, 200, ctx.dialect.xml.renderListObjectsV1(res, { ...request, marker: request.startAfter, maxKeys, encodingType: q.get('encoding-type'), owner: bucket.owner }));
};

export const listObjectsV2: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const q = ctx.request.query;
  const maxKeys = parseListLimit(q.get('max-keys'), 'max-keys');
  parseEncodingType(q.get('encoding-type'));
  const request = {
    bucket: bucket.name, prefix: q.get('prefix') ?? '', delimiter: q.get('delimiter') ?? '',
    startAfter: q.get('start-after') ?? '', continuationToken: q.get('continuation-token') ?? '',
  };
  const res = maxKeys === 0
    ? { objects: [], commonPrefixes: [], isTruncated: false, nextContinuationToken: '', nextMarker: '' }
    : await metaCall(ctx.services.meta.call('listObjects', { ...request, maxKeys }));
  sendXml(ctx, 200, ctx.dialect.xml.renderListObjectsV2(res, {
    ...request, maxKeys, encodingType: q.get('encoding-type'), fetchOwner: q.get('fetch-owner') === 'true', owner: bucket.owner,
  }));
};

/** ListObjectVersions (S3 ?versions, OSS GetBucketVersions): key-marker / version-id-marker paging. */
export const listObjectVersions: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const q = ctx.request.query;
  const maxKeys = parseListLimit(q.get('max-keys'), 'max-keys');
  parseEncodingType(q.get('encoding-type'));
  const request = {
    bucket: bucket.name, prefix: q.get('prefix') ?? '', delimiter: q.get('delimiter') ?? '',
    keyMarker: q.get('key-marker') ?? '', versionIdMarker: q.get('version-id-marker') ?? '',
  };
  if (request.versionIdMarker !== '' && request.keyMarker === '') {
    throw new StoreError('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', { ArgumentName: 'version-id-marker', ArgumentValue: request.versionIdMarker });
  }
  const res = maxKeys === 0
    ? { versions: [], commonPrefixes: [], isTruncated: false, nextKeyMarker: '', nextVersionIdMarker: '' }
    : await metaCall(ctx.services.meta.call('listObjectVersions', { ...request, maxKeys }));
  sendXml(ctx, 200, ctx.dialect.xml.renderListObjectVersions(res, { ...request, maxKeys, encodingType: q.get('encoding-type'), owner: bucket.owner }));
};

export const listMultipartUploads: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const q = ctx.request.query;
  const maxUploads = parseListLimit(q.get('max-uploads'), 'max-uploads');
  parseEncodingType(q.get('encoding-type'));
  const request = {
    bucket: bucket.name, prefix: q.get('prefix') ?? '', delimiter: q.get('delimiter') ?? '',
    keyMarker: q.get('key-marker') ?? '', uploadIdMarker: q.get('upload-id-marker') ?? '',
  };
  const res = await metaCall(ctx.services.meta.call('listMultipartUploads', { ...request, maxUploads: maxUploads || 1 }));
  if (maxUploads === 0) res.uploads = [];
  sendXml(ctx, 200, ctx.dialect.xml.renderListMultipartUploads(res, { ...request, maxUploads, encodingType: q.get('encoding-type'), owner: bucket.owner }));
};

export const listParts: Handler = async (ctx) => {
  const bucket = await addressedBucket(ctx);
  const key = objectKey(ctx);
  const q = ctx.request.query;
  const maxParts = parseListLimit(q.get('max-parts'), 'max-parts');
  const partNumberMarker = parsePartNumberMarker(q.get('part-number-marker'));
  const uploadId = q.get('uploadId') ?? '';
  const res = await metaCall(ctx.services.meta.call('listParts', { bucket: bucket.name, key, uploadId, partNumberMarker, maxParts: maxParts || 1 }));
  if (maxParts === 0) res.parts = [];
  sendXml(ctx, 200, ctx.dialect.xml.renderListParts(res, { bucket: bucket.name, key, uploadId, partNumberMarker, maxParts, owner: bucket.owner }));
};
