// Which apply function handles which command.
import type { Command } from '../../common/gen/zonestore/meta/v1/command_pb.ts';
import { MetaError } from '../meta-error.ts';
import { applyCreateBucket, applyDeleteBucket, applyPutBucketConfig, applyPutBucketVersioning } from '../commands/bucket-commands.ts';
import {
  applyAbortMultipartUpload, applyCompleteMultipartUpload, applyCreateMultipartUpload, applyPutPart,
} from '../commands/multipart-commands.ts';
import { applyAppendObject } from '../commands/append-commands.ts';
import { applyDeleteObject, applyPutObject } from '../commands/object-commands.ts';
import { applyDeleteObjectTagging, applyPutObjectTagging } from '../commands/tagging-commands.ts';
import { applyTransitionObject } from '../commands/lifecycle-commands.ts';
import { applyPutObjectAcl } from '../commands/object-acl-commands.ts';
import {
  applyAbortBucketWorm, applyCompleteBucketWorm, applyExtendBucketWorm, applyInitiateBucketWorm,
  applyPutObjectLegalHold, applyPutObjectLockConfiguration, applyPutObjectRetention,
} from '../commands/protection-commands.ts';
import { unreferencedChunks } from '../commands/object-versions.ts';
import { applyAckGarbage, applyRegisterDataNode, applyReportDataNodeHealth } from '../commands/placement-commands.ts';
import { applyAddRepairedShards } from '../commands/repair-commands.ts';
import {
  applyCreateAccessKey, applyCreateAccount, applyCreateUser, applyDeleteAccessKey, applyDeleteUser, applyDeleteUserPolicy,
  applyPutUserPolicy, applyUpdateAccessKey,
} from '../commands/identity-commands.ts';
import {
  applyCreateKmsAlias, applyCreateKmsKey, applyDeleteKmsAlias, applyImportKmsKeyMaterial, applyPutKmsImportParameters,
  applyRotateKmsKey, applyUpdateKmsKey,
} from '../commands/kms-commands.ts';
import { create } from '@bufbuild/protobuf';
import { ChunkRefSchema, GarbageReason } from '../../common/gen/zonestore/meta/v1/records_pb.ts';
import type { ApplyContext } from './apply-context.ts';
import { chunksOfManifest, chunksOfStripes } from './record-reads.ts';

export type CommandOp = NonNullable<Command['op']['case']>;

export async function dispatchCommand(ctx: ApplyContext, cmd: Command): Promise<unknown> {
  const op = cmd.op;
  switch (op.case) {
    case 'createBucket': return applyCreateBucket(ctx, op.value);
    case 'deleteBucket': return applyDeleteBucket(ctx, op.value);
    case 'putBucketConfig': return applyPutBucketConfig(ctx, op.value);
    case 'putBucketVersioning': return applyPutBucketVersioning(ctx, op.value);
    case 'putObject': return applyPutObject(ctx, op.value);
    case 'deleteObject': return applyDeleteObject(ctx, op.value);
    case 'appendObject': return applyAppendObject(ctx, op.value);
    case 'putObjectTagging': return applyPutObjectTagging(ctx, op.value);
    case 'deleteObjectTagging': return applyDeleteObjectTagging(ctx, op.value);
    case 'putObjectAcl': return applyPutObjectAcl(ctx, op.value);
    case 'transitionObject': return applyTransitionObject(ctx, op.value);
    case 'createMultipartUpload': return applyCreateMultipartUpload(ctx, op.value);
    case 'putPart': return applyPutPart(ctx, op.value);
    case 'completeMultipartUpload': return applyCompleteMultipartUpload(ctx, op.value);
    case 'abortMultipartUpload': return applyAbortMultipartUpload(ctx, op.value);
    case 'registerDataNode': return applyRegisterDataNode(ctx, op.value);
    case 'reportDataNodeHealth': return applyReportDataNodeHealth(ctx, op.value);
    case 'ackGarbage': return applyAckGarbage(ctx, op.value);
    case 'addRepairedShards': return applyAddRepairedShards(ctx, op.value);
    case 'createAccount': return applyCreateAccount(ctx, op.value);
    case 'createUser': return applyCreateUser(ctx, op.value);
    case 'deleteUser': return applyDeleteUser(ctx, op.value);
    case 'createAccessKey': return applyCreateAccessKey(ctx, op.value);
    case 'updateAccessKey': return applyUpdateAccessKey(ctx, op.value);
    case 'deleteAccessKey': return applyDeleteAccessKey(ctx, op.value);
    case 'putUserPolicy': return applyPutUserPolicy(ctx, op.value);
    case 'deleteUserPolicy': return applyDeleteUserPolicy(ctx, op.value);
    case 'createKmsKey': return applyCreateKmsKey(ctx, op.value);
    case 'updateKmsKey': return applyUpdateKmsKey(ctx, op.value);
    case 'rotateKmsKey': return applyRotateKmsKey(ctx, op.value);
    case 'putKmsImportParameters': return applyPutKmsImportParameters(ctx, op.value);
    case 'importKmsKeyMaterial': return applyImportKmsKeyMaterial(ctx, op.value);
    case 'createKmsAlias': return applyCreateKmsAlias(ctx, op.value);
    case 'deleteKmsAlias': return applyDeleteKmsAlias(ctx, op.value);
    case 'initiateBucketWorm': return applyInitiateBucketWorm(ctx, op.value);
    case 'completeBucketWorm': return applyCompleteBucketWorm(ctx, op.value);
    case 'abortBucketWorm': return applyAbortBucketWorm(ctx, op.value);
    case 'extendBucketWorm': return applyExtendBucketWorm(ctx, op.value);
    case 'putObjectLockConfiguration': return applyPutObjectLockConfiguration(ctx, op.value);
    case 'putObjectRetention': return applyPutObjectRetention(ctx, op.value);
    case 'putObjectLegalHold': return applyPutObjectLegalHold(ctx, op.value);
    case undefined: throw new MetaError('InvalidArgument', 'empty command');
  }
}

/**
 * A refused write's chunks are durable on data nodes but no record will ever refer to them:
 * queue them as garbage in the refusal's own batch (minus any the key's current version uses,
 * in case this was a retry of a write that did commit).
 */
export async function queueRefusedChunks(ctx: ApplyContext, cmd: Command): Promise<void> {
  const op = cmd.op;
  if (op.case === 'putObject') {
    const chunks = await unreferencedChunks(ctx, op.value.bucket, op.value.key, chunksOfManifest(op.value.manifest));
    ctx.garbage(chunks, GarbageReason.WRITE_REJECTED, op.value.bucket, op.value.key);
  } else if (op.case === 'appendObject') {
    const chunks = await unreferencedChunks(ctx, op.value.bucket, op.value.key, chunksOfStripes(op.value.part?.stripes ?? []));
    ctx.garbage(chunks, GarbageReason.WRITE_REJECTED, op.value.bucket, op.value.key);
  } else if (op.case === 'addRepairedShards') {
    // Refused as a whole (a malformed request): its new chunks are referenced by nothing.
    const chunks = op.value.shards.flatMap((r) => (r.shard ? [create(ChunkRefSchema, { node: r.shard.node, chunkId: r.shard.chunkId })] : []));
    ctx.garbage(await unreferencedChunks(ctx, op.value.bucket, op.value.key, chunks), GarbageReason.WRITE_REJECTED, op.value.bucket, op.value.key);
  } else if (op.case === 'putPart') {
    const chunks = await unreferencedChunks(ctx, op.value.bucket, op.value.key, chunksOfStripes(op.value.stripes));
    ctx.garbage(chunks, GarbageReason.WRITE_REJECTED, op.value.bucket, op.value.key);
  }
}
