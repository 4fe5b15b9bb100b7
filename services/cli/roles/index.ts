// The server roles of the `zonestore` command: what containers, pods and VMs run.
import type { Command } from 'commander';
import { registerDataRole } from './data-role.ts';
import { registerGatewayRole } from './gateway-role.ts';
import { registerMetaRole } from './meta-role.ts';
import { registerZoneRole } from './zone-role.ts';

export function registerRoleCommands(program: Command): void {
  registerGatewayRole(program);
  registerMetaRole(program);
  registerDataRole(program);
  registerZoneRole(program);
}
