#!/usr/bin/env bash
# Quick start, part 1: install, build, and run pgdba on the example workspace: check, explain, lock trace, rollback and
# rehearsal, with embedded PGlite wherever a database is needed.
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
echo
echo '$ npx pgdba trace examples/saas/migrations/000004_invoice_due_date.up.sql'
npx pgdba trace examples/saas/migrations/000004_invoice_due_date.up.sql
echo
echo '$ npx pgdba rollback examples/saas/migrations/000004_invoice_due_date.up.sql'
npx pgdba rollback examples/saas/migrations/000004_invoice_due_date.up.sql
echo
echo '$ npx pgdba rehearse examples/saas/migrations --down generated'
npx pgdba rehearse examples/saas/migrations --down generated
