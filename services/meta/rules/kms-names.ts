// The shapes of KMS key ids and alias names, checked by the state machine whoever proposed them.
import { MetaError } from '../meta-error.ts';

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** AWS: alias/ then 1 to 250 of [A-Za-z0-9/_-]. */
const ALIAS_NAME = /^alias\/[A-Za-z0-9/_-]{1,250}$/;

export function isKmsKeyId(id: string): boolean {
  return KEY_ID.test(id);
}

export function isKmsAliasName(name: string): boolean {
  return ALIAS_NAME.test(name);
}

export function checkKmsKeyId(id: string): void {
  if (!KEY_ID.test(id)) throw new MetaError('InvalidArgument', `invalid KMS key id ${JSON.stringify(id.slice(0, 100))}`);
}

export function checkKmsAliasName(name: string): void {
  if (!ALIAS_NAME.test(name)) throw new MetaError('InvalidArgument', `invalid KMS alias name ${JSON.stringify(name.slice(0, 300))}`);
}
