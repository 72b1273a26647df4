#!/usr/bin/env bash
# The kernel library's training benchmark: `bash kernel-lib/bench/run.sh [options]` (or
# `npm run bench --workspace kernel-lib -- [options]`; `--help` lists them). Sets up the Python
# references once (setup.sh; the benchmark still runs without them), builds the kernel library, the
# benchmark and the server (the load part runs the service on the demo year), then runs it.
set -euo pipefail
cd "$(dirname "$0")/../.."

bash kernel-lib/bench/setup.sh || echo "the PyTorch and Keras references will be skipped" >&2
node node_modules/typescript/bin/tsc -b kernel-lib/bench server
exec node kernel-lib/bench/dist/main.js "$@"
