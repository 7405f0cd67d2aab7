#!/usr/bin/env node
// The pgdba CLI entry point: runs the esbuild bundle (build it with `npm run build`).
const nodeModule = require('node:module');
// Node 22.1+ keeps V8's compiled code of the bundle between runs (in the OS temp folder), which shortens start-up;
// older versions do not have it and start as before.
if (typeof nodeModule.enableCompileCache === 'function') {
  try {
    nodeModule.enableCompileCache();
  } catch {
    // A cache folder that cannot be written only costs start-up time.
  }
}
require('../dist/cli.js').run();
