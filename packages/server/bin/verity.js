#!/usr/bin/env node
// Runs the Verity command line (TypeScript, through tsx: no build step for the server).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
