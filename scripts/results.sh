#!/usr/bin/env bash
# `npm run results [-- options]`: the results table of docs/results.md. Installs what is missing, builds
# the native TensorFlow backend (NO_NATIVE=1 skips it: the notebook models then train on WebAssembly),
# builds the server and the kernel library, then creates the demo year in a fresh home, trains the
# example notebooks' models on every demo task next to the baselines and writes the table
# (kernel-lib/bench/results.ts; `npm run results -- --help` lists the options).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
if [ -z "${NO_NATIVE:-}" ]; then
  bash scripts/setup-tensorflow.sh ||
    echo "results: the native TensorFlow backend could not be built; the models train on WebAssembly" >&2
fi
node node_modules/typescript/bin/tsc -b kernel-lib/bench server
# TensorFlow's INFO lines would bury the progress log
export TF_CPP_MIN_LOG_LEVEL=${TF_CPP_MIN_LOG_LEVEL:-2}
exec node kernel-lib/bench/dist/results.js "$@"
