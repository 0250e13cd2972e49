#!/usr/bin/env node
// The relayminer command; the code is in ../dist (build it with `npx nx run @relayminer/app:build`).
import { runCli } from '../dist/cli.js';

process.exitCode = await runCli(process.argv.slice(2));
