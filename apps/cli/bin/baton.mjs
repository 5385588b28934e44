#!/usr/bin/env node
// The sources are TypeScript run through tsx, so a clean `npm ci` is all a checkout needs.
import { register } from 'tsx/esm/api';

register();
await import('../src/main.ts');
