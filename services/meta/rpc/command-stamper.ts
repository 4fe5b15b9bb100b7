// What the leader adds to a request to make it a deterministic command: its clock, fresh
// randomness for ids, and its configured limits.
import { randomBytes } from 'node:crypto';
import { create, toBinary } from '@bufbuild/protobuf';
import { CommandSchema, type Command } from '../../common/gen/zonestore/meta/v1/command_pb.ts';
import { NONCE_HEX_LENGTH } from '../rules/ids.ts';

export interface CommandStamperOptions {
  minPartSizeBytes: number;
  now?: () => number;
}

export class CommandStamper {
  private readonly now: () => number;

  constructor(private readonly opts: CommandStamperOptions) {
    this.now = opts.now ?? Date.now;
  }

  stamp(op: Command['op']): Uint8Array {
    return toBinary(CommandSchema, create(CommandSchema, {
      timeMs: BigInt(this.now()),
      nonce: randomBytes(NONCE_HEX_LENGTH / 2).toString('hex'),
      minPartSize: BigInt(this.opts.minPartSizeBytes),
      op,
    }));
  }
}
