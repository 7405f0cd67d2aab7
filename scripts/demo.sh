#!/usr/bin/env bash
# Quick start, part 1: install, build, and run pgdba on the example workspace (embedded PGlite where a database is needed).
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund
npm run build
echo
echo '$ npx pgdba check examples/saas'
npx pgdba check examples/saas || true
echo
echo '$ npx pgdba explain examples/saas/queries/reports.sql --line 14'
npx pgdba explain examples/saas/queries/reports.sql --line 14
