#!/usr/bin/env bash
# The project's start command (`npm start`): installs and builds what is missing, creates the demo
# data set in $DQM_PLAYGROUND_HOME (default ~/.dqm-playground) if it is not there, and serves the API.
#   DQM_DEMO_SIZE=full npm start    the whole 2018 year instead of the small demo
#   PORT=8750                        the port to serve on
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
npm run build
cli=server/dist/cli/main.js
node "$cli" demo --size "${DQM_DEMO_SIZE:-small}"
exec node "$cli" serve --port "${PORT:-8750}"
