#!/usr/bin/env node
// The pgdba CLI entry point: runs the esbuild bundle (build it with `npm run build`).
require('../dist/cli.js').run();
