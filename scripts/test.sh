#!/usr/bin/env bash
# The project's test command (`npm test`): build, lint, then every test suite, with the server
# tests run against both storage engines (embedded PGlite and a real PostgreSQL server started here).
set -euo pipefail
cd "$(dirname "$0")/.."

npm run build
npm run lint

source scripts/postgres-test-server.sh
export REQUIRE_POSTGRES=1
npm test --workspace server -- --ci
