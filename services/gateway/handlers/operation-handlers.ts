// Which handler answers which operation (both dialects share them).
import type { Operation } from '../dialect/operation.ts';
import {
  createBucket, deleteBucket, getBucketInfo, getBucketLocation, getBucketStat, getBucketVersioning, headBucket, listBuckets, putBucketVersioning,
} from './bucket-handlers.ts';
import { getBucketAcl, getObjectAcl, putBucketAcl, putObjectAcl } from './acl-handlers.ts';
import { deleteBucketPolicy, getBucketPolicy, putBucketPolicy } from './bucket-policy-handlers.ts';
import { deleteBucketEncryption, getBucketEncryption, putBucketEncryption } from './bucket-encryption-handlers.ts';
import { deleteBucketLifecycle, getBucketLifecycle, putBucketLifecycle } from './lifecycle-handlers.ts';
import { deleteBucketLogging, getBucketLogging, putBucketLogging } from './logging-handlers.ts';
import {
  deleteBucketOwnershipControls, deletePublicAccessBlock, getBucketOwnershipControls, getBucketReferer, getPublicAccessBlock,
  putBucketOwnershipControls, putBucketReferer, putPublicAccessBlock,
} from './bucket-access-settings-handlers.ts';
import { listMultipartUploads, listObjectVersions, listObjectsV1, listObjectsV2, listParts } from './list-handlers.ts';
import {
  abortMultipartUpload, completeMultipartUpload, createMultipartUpload, uploadPart, uploadPartCopy,
} from './multipart-handlers.ts';
import { getObject, headObject } from './object-read-handlers.ts';
import { copyObject, deleteObject, deleteObjects, putObject } from './object-write-handlers.ts';
import type { Handler } from './request-context.ts';
import { appendObject } from './append-handler.ts';
import { getSymlink, putSymlink } from './symlink-handlers.ts';
import { deleteObjectTagging, getObjectTagging, putObjectTagging } from './tagging-handlers.ts';
import {
  getObjectLegalHold, getObjectLockConfiguration, getObjectRetention, putObjectLegalHold, putObjectLockConfiguration, putObjectRetention,
} from './object-lock-handlers.ts';
import { abortBucketWorm, completeBucketWorm, extendBucketWorm, getBucketWorm, initiateBucketWorm } from './worm-handlers.ts';

export const OPERATION_HANDLERS: Partial<Record<Operation, Handler>> = {
  ListBuckets: listBuckets,
  CreateBucket: createBucket,
  DeleteBucket: deleteBucket,
  HeadBucket: headBucket,
  GetBucketLocation: getBucketLocation,
  GetBucketVersioning: getBucketVersioning,
  PutBucketVersioning: putBucketVersioning,
  GetBucketAcl: getBucketAcl,
  PutBucketAcl: putBucketAcl,
  GetObjectAcl: getObjectAcl,
  PutObjectAcl: putObjectAcl,
  GetBucketPolicy: getBucketPolicy,
  PutBucketPolicy: putBucketPolicy,
  DeleteBucketPolicy: deleteBucketPolicy,
  GetPublicAccessBlock: getPublicAccessBlock,
  PutPublicAccessBlock: putPublicAccessBlock,
  DeletePublicAccessBlock: deletePublicAccessBlock,
  GetBucketOwnershipControls: getBucketOwnershipControls,
  PutBucketOwnershipControls: putBucketOwnershipControls,
  DeleteBucketOwnershipControls: deleteBucketOwnershipControls,
  GetBucketEncryption: getBucketEncryption,
  PutBucketEncryption: putBucketEncryption,
  DeleteBucketEncryption: deleteBucketEncryption,
  GetBucketLifecycle: getBucketLifecycle,
  PutBucketLifecycle: putBucketLifecycle,
  GetBucketLogging: getBucketLogging,
  PutBucketLogging: putBucketLogging,
  DeleteBucketLogging: deleteBucketLogging,
  DeleteBucketLifecycle: deleteBucketLifecycle,
  ListObjects: listObjectsV1,
  ListObjectsV2: listObjectsV2,
  ListMultipartUploads: listMultipartUploads,
  ListObjectVersions: listObjectVersions,
  ListParts: listParts,
  PutObject: putObject,
  CopyObject: copyObject,
  GetObject: getObject,
  HeadObject: headObject,
  DeleteObject: deleteObject,
  DeleteObjects: deleteObjects,
  CreateMultipartUpload: createMultipartUpload,
  UploadPart: uploadPart,
  UploadPartCopy: uploadPartCopy,
  CompleteMultipartUpload: completeMultipartUpload,
  AbortMultipartUpload: abortMultipartUpload,
  // Operations only the OSS dialect names.
  AppendObject: appendObject,
  GetObjectMeta: headObject,
  PutSymlink: putSymlink,
  GetSymlink: getSymlink,
  PutObjectTagging: putObjectTagging,
  GetObjectTagging: getObjectTagging,
  DeleteObjectTagging: deleteObjectTagging,
  GetBucketInfo: getBucketInfo,
  GetBucketStat: getBucketStat,
  PutBucketReferer: putBucketReferer,
  GetBucketReferer: getBucketReferer,
  InitiateBucketWorm: initiateBucketWorm,
  CompleteBucketWorm: completeBucketWorm,
  AbortBucketWorm: abortBucketWorm,
  ExtendBucketWorm: extendBucketWorm,
  GetBucketWorm: getBucketWorm,
  GetObjectLockConfiguration: getObjectLockConfiguration,
  PutObjectLockConfiguration: putObjectLockConfiguration,
  GetObjectRetention: getObjectRetention,
  PutObjectRetention: putObjectRetention,
  GetObjectLegalHold: getObjectLegalHold,
  PutObjectLegalHold: putObjectLegalHold,
};
