// Running `nft`, always bounded: a hung netlink call must not hang a chaos run or its teardown.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** One `nft` invocation at most; a rule-set transaction on loopback takes milliseconds. */
export const NFT_TIMEOUT_MS = 5_000;
/** Where distributions put nft. */
export const NFT_BINARIES = ['/usr/sbin/nft', '/sbin/nft', '/usr/bin/nft'];

export interface NftResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Debian puts nft in /usr/sbin, which a non-login PATH may lack; otherwise trust PATH. */
export function nftBinary(): string {
  return NFT_BINARIES.find((p) => existsSync(p)) ?? 'nft';
}

/** Runs `nft args`, feeding `input` on stdin (for `-f -`); rejects when it cannot start or outlives `timeoutMs`. */
export function runNft(args: readonly string[], input?: string, timeoutMs = NFT_TIMEOUT_MS): Promise<NftResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(nftBinary(), args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.stdin.on('error', () => undefined); // nft exiting early closes the pipe; its exit code says why
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`nft ${args.join(' ')}: no exit within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** `runNft` that insists on exit code 0. */
export async function runNftOk(args: readonly string[], input?: string): Promise<NftResult> {
  const r = await runNft(args, input);
  if (r.code !== 0) {
    throw new Error(`nft ${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}${input ? `\n--- input ---\n${input}` : ''}`);
  }
  return r;
}

/** The synchronous form, for a process 'exit' handler (no event loop left there). */
export function runNftSync(args: readonly string[], timeoutMs = NFT_TIMEOUT_MS): number | null {
  const r = spawnSync(nftBinary(), args, { stdio: 'ignore', timeout: timeoutMs });
  return r.status;
}
