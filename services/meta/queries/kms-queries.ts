// Reading KMS keys and aliases: one key by id or by alias, an account's keys (or every key, for
// the gateway's rotation/deletion sweep) and aliases.
import { create, fromBinary } from '@bufbuild/protobuf';
import {
  GetKmsKeyResponseSchema, KmsAliasSchema, KmsKeySchema, ListKmsAliasesResponseSchema, ListKmsKeysResponseSchema,
  type GetKmsKeyRequest, type GetKmsKeyResponse, type KmsKey, type ListKmsAliasesRequest, type ListKmsAliasesResponse,
  type ListKmsKeysRequest, type ListKmsKeysResponse,
} from '../../common/gen/zonestore/meta/v1/kms_pb.ts';
import { MetaError } from '../meta-error.ts';
import { checkAccountRef } from '../rules/identity-names.ts';
import { checkKmsAliasName, checkKmsKeyId } from '../rules/kms-names.ts';
import { key, prefixEnd } from '../state/meta-keys.ts';
import type { MetaStateStore } from '../state/meta-state-store.ts';

function notFound(what: string): MetaError {
  return new MetaError('NoSuchKmsKey', `${what} does not exist`);
}

export async function getKmsKey(store: MetaStateStore, req: GetKmsKeyRequest): Promise<GetKmsKeyResponse> {
  let keyId = req.keyId;
  if (keyId === '') {
    checkAccountRef(req.accountId);
    checkKmsAliasName(req.aliasName);
    const alias = await store.get(KmsAliasSchema, key.kmsAlias(req.accountId, req.aliasName));
    if (!alias) throw notFound(`alias ${req.aliasName}`);
    keyId = alias.keyId;
  } else {
    checkKmsKeyId(keyId);
  }
  const k = await store.get(KmsKeySchema, key.kmsKey(keyId));
  if (!k || (req.accountId !== '' && k.accountId !== req.accountId)) throw notFound(`key ${keyId}`);
  return create(GetKmsKeyResponseSchema, { key: k });
}

export async function listKmsKeys(store: MetaStateStore, req: ListKmsKeysRequest): Promise<ListKmsKeysResponse> {
  const out = create(ListKmsKeysResponseSchema, {});
  if (req.accountId === '') {
    const prefix = key.kmsKeyPrefix();
    for (const [, v] of await store.range({ gte: prefix, lt: prefixEnd(prefix)! })) out.keys.push(fromBinary(KmsKeySchema, v));
    return out;
  }
  checkAccountRef(req.accountId);
  const prefix = key.kmsKeysOf(req.accountId);
  for (const [k] of await store.range({ gte: prefix, lt: prefixEnd(prefix)! })) {
    const found: KmsKey | undefined = await store.get(KmsKeySchema, key.kmsKey(Buffer.from(k.subarray(prefix.length)).toString('utf8')));
    if (found) out.keys.push(found);
  }
  return out;
}

export async function listKmsAliases(store: MetaStateStore, req: ListKmsAliasesRequest): Promise<ListKmsAliasesResponse> {
  checkAccountRef(req.accountId);
  const prefix = key.kmsAliasesOf(req.accountId);
  const out = create(ListKmsAliasesResponseSchema, {});
  for (const [, v] of await store.range({ gte: prefix, lt: prefixEnd(prefix)! })) {
    const a = fromBinary(KmsAliasSchema, v);
    if (req.keyId === '' || a.keyId === req.keyId) out.aliases.push(a);
  }
  return out;
}
