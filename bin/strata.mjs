#!/usr/bin/env node
// The `strata` command. Runs the TypeScript sources through tsx so the CLI needs no
// build step after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src-main/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
