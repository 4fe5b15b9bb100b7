#!/usr/bin/env node
// Installed entry for `zonestore`: runs the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';
register();
await import('../services/cli/main.ts');
