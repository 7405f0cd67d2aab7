#!/usr/bin/env bash
# Quick start, part 2: install everything from scratch (Debian packages and npm) and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive

need=()
# PostgreSQL 15 server binaries for the throwaway test servers.
if ! command -v initdb >/dev/null && [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then need+=(postgresql); fi
# The VS Code workbench E2E suite (test/e2e): headless Chromium, and what installing code-server needs
# (libkrb5-dev to build VS Code's kerberos module, ripgrep for @vscode/ripgrep without a download).
if ! command -v chromium >/dev/null; then need+=(chromium); fi
if ! command -v rg >/dev/null; then need+=(ripgrep); fi
# The packaging test (test/vsix) unzips the VSIX it tests.
if ! command -v unzip >/dev/null; then need+=(unzip); fi
if [ ! -e /usr/include/krb5.h ]; then need+=(libkrb5-dev); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq "${need[@]}" >/dev/null; else sudo apt-get update -qq && sudo apt-get install -y -qq "${need[@]}" >/dev/null; fi
fi

npm ci --no-audit --no-fund
npm run build
npm run typecheck
# The linter (typescript-eslint with the layer allow-list); the architecture test itself runs with the suite.
npx eslint .
# The formatter: the code base stays as Prettier writes it (npm run format fixes it).
npm run --silent format:check
npm test
