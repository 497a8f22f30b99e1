#!/usr/bin/env node
// The `livechat` executable: no build step, so it registers tsx and runs the TypeScript entry point, from
// whatever directory it is started in.
import { register } from 'tsx/esm/api';

register();
// Resolved against this file, not the working directory.
await import('../src/infrastructure/cli.ts');
