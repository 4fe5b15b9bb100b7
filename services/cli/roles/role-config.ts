// How a role process (`zonestore gateway|meta|data|zone`) is configured, one value from the
// first of: a command-line flag, its environment variable (ZONESTORE_ + the flag in upper
// snake case: --meta-peers → ZONESTORE_META_PEERS), the mounted config file (--config /
// ZONESTORE_CONFIG: a JSON object keyed by the flags' camelCase names), the default. Containers
// take the cluster's shape from the file and what differs per container from the environment.
// The merged result is validated with zod, so a bad value fails at start with its source named.
import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { z } from 'zod';
import type { MetaPeer } from '../../meta/replica/meta-replica.ts';

export const ENV_PREFIX = 'ZONESTORE_';
export const CONFIG_ENV = `${ENV_PREFIX}CONFIG`;

/** `--meta-peers` → `ZONESTORE_META_PEERS`. */
export function envNameOf(flag: string): string {
  return ENV_PREFIX + flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase();
}

/**
 * Adds an option whose value may also come from its environment variable; every role option
 * goes through here so the rule holds for all of them. No commander defaults: the config file
 * must be able to fill what the command line and environment leave unset.
 */
export function roleOption(cmd: Command, flags: string, description: string): Command {
  const long = /--[a-z0-9-]+/.exec(flags)?.[0];
  if (!long) throw new Error(`no long flag in ${flags}`);
  return cmd.addOption(new Option(flags, description).env(envNameOf(long)));
}

export function addConfigOption(cmd: Command): Command {
  return roleOption(cmd, '--config <file>', 'JSON file of option values, keyed by camelCase option name (flags and environment override it)');
}

/**
 * The options merged with the config file; what the file gives is used only where neither flag
 * nor environment did. One file serves every role of a cluster: a top-level key applies to each
 * role that has that option, a section named after a role (`"gateway": {…}`) to that role only
 * (and wins over the top level). A key no role has is an error, so a typo is not ignored.
 */
export function mergedOptions(cmd: Command): Record<string, unknown> {
  const opts: Record<string, unknown> = { ...cmd.opts() };
  const file = opts.config as string | undefined;
  if (!file) return opts;
  let fromFile: unknown;
  try {
    fromFile = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the config file ${file}: ${(err as Error).message}`);
  }
  if (!isObject(fromFile)) throw new Error(`the config file ${file} must hold a JSON object`);
  const roles = cmd.parent?.commands ?? [cmd];
  const own = new Set(cmd.options.map((o) => o.attributeName()));
  const anyRole = new Set(roles.flatMap((r) => r.options.map((o) => o.attributeName())));
  const sections = new Set(roles.map((r) => r.name()));
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fromFile)) {
    if (sections.has(key)) {
      if (!isObject(value)) throw new Error(`the config file ${file}: section ${key} must be an object`);
      continue;
    }
    if (!anyRole.has(key)) throw new Error(`the config file ${file} sets ${key}, which no role has an option for`);
    if (own.has(key)) values[key] = value;
  }
  const section = fromFile[cmd.name()];
  if (isObject(section)) {
    for (const [key, value] of Object.entries(section)) {
      if (!own.has(key)) throw new Error(`the config file ${file} sets ${cmd.name()}.${key}, which \`${cmd.name()}\` has no option for`);
      values[key] = value;
    }
  }
  for (const [key, value] of Object.entries(values)) if (opts[key] === undefined) opts[key] = value;
  return opts;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validates merged options; the error lists every bad field with its flag and variable. */
export function parseRoleConfig<S extends z.ZodType>(schema: S, raw: Record<string, unknown>): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => {
    const key = String(i.path[0] ?? '');
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    return `${flag} (${envNameOf(flag)}): ${i.message}`;
  });
  throw new Error(`invalid configuration:\n  ${lines.join('\n  ')}`);
}

// ---- field types shared by the roles ------------------------------------------------------

const HOST_PORT = /^(\[[0-9a-fA-F:]+\]|[^:\s/,]+):\d{1,5}$/;

export const hostPortField = z.string().regex(HOST_PORT, 'expected host:port');
export const portField = z.coerce.number().int().min(0).max(65_535);
export const positiveIntField = z.coerce.number().int().positive();
/** A list given as a JSON array (file) or a comma-separated string (flag, environment). */
export const listField = z.union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter((s) => s.length > 0));

/** `id=raftHost:port/apiHost:port`, comma-separated or as an array: every meta replica of the cluster. */
export const metaPeersField = listField.transform((items, ctx) => {
  const peers: Record<string, MetaPeer> = {};
  for (const item of items) {
    const m = /^([^=]+)=([^/]+:\d+)\/([^/]+:\d+)$/.exec(item);
    if (!m) {
      ctx.addIssue({ code: 'custom', message: `expected id=raftHost:port/apiHost:port, got "${item}"` });
      return z.NEVER;
    }
    peers[m[1]!] = { raftAddress: m[2]!, apiAddress: m[3]! };
  }
  if (Object.keys(peers).length === 0) {
    ctx.addIssue({ code: 'custom', message: 'at least one meta replica is needed' });
    return z.NEVER;
  }
  return peers;
});

/** Where every role listens unless told otherwise: all interfaces, as a container needs. */
export const DEFAULT_LISTEN_HOST = '0.0.0.0';
export const DEFAULT_HEALTH_PORT = 9100;
export const DEFAULT_DATA_DIR = '/var/lib/zonestore';

/** Options every role has. */
export function addCommonRoleOptions(cmd: Command): Command {
  addConfigOption(cmd);
  roleOption(cmd, '--zone <name>', 'the zone this process runs in');
  roleOption(cmd, '--listen-host <ip>', `address every server of this process listens on (default ${DEFAULT_LISTEN_HOST})`);
  roleOption(cmd, '--health-port <port>', `port of /livez and /readyz on the listen host (default ${DEFAULT_HEALTH_PORT}; 0: any free port)`);
  return cmd;
}

export const commonRoleSchema = z.object({
  config: z.string().optional(),
  zone: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a zone name: lower-case letters, digits and dashes'),
  listenHost: z.string().min(1).default(DEFAULT_LISTEN_HOST),
  healthPort: portField.default(DEFAULT_HEALTH_PORT),
});
