#!/usr/bin/env node
// The `livechat` executable: no build step, so it registers tsx and runs the TypeScript entry point, from
// whatever directory it is started in.
import process from 'node:process';
import { register } from 'tsx/esm/api';

// Read before the rest loads, which takes seconds on a busy machine: a seed stops when this parent goes away (see
// runCliProcess), and one that died meanwhile would otherwise never be missed.
const parentAtStart = process.ppid;
register();
// Resolved against this file, not the working directory.
const { runCliProcess } = await import('../src/infrastructure/cli.ts');
await runCliProcess(parentAtStart);
