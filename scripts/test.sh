#!/usr/bin/env bash
# The project's test command (`npm test`): installs what is missing, builds, lints, then runs every
# test suite, the server's against both storage engines (embedded PGlite and a real PostgreSQL
# server started here for the run).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --test
npm run build
npm run lint

source scripts/postgres-test-server.sh
export REQUIRE_POSTGRES=1
npm test --workspace server -- --ci
