// For test setup: whether the nftables backend can run here, installing Debian's nftables first
// when `nft` is missing and we are root (CI runs as root, so there the backend is tested, never
// skipped for want of a package).
import { ensureDebianPackage } from './debian-package.ts';
import { NFT_BINARIES } from './nft-exec.ts';
import { NftNetwork } from './nft-network.ts';

/** Undefined when NftNetwork can be used; otherwise why not, for a `{ skip }` declared up front. */
export async function prepareNftables(): Promise<string | undefined> {
  if (process.platform !== 'linux') return 'nftables exists only on Linux';
  if (process.getuid?.() !== 0) return 'nft rules need root';
  const missing = ensureDebianPackage('nftables', NFT_BINARIES);
  if (missing) return missing;
  return NftNetwork.unavailableReason();
}
