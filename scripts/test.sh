#!/usr/bin/env bash
# The project's test command (`npm test`): installs what is missing, builds, lints, then runs every
# test suite: the server's against both storage engines (embedded PGlite and a real PostgreSQL server
# started here for the run), the kernel library's (on native TensorFlow, built here, and on
# WebAssembly), the JupyterLab extension's (TypeScript and Python),
# the example notebooks executed with the tslab kernel against a fresh demo service, and the
# extension's UI tests in a real JupyterLab driven by Playwright in Debian's Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh --test
bash scripts/setup-python.sh
# the native TensorFlow backend (python3's TensorFlow, else the pinned tensorflow-cpu wheel, downloaded
# once into .cache/): the kernel library's graph training step runs only there
bash scripts/setup-tensorflow.sh
npm run build
bash scripts/setup-extension.sh
npm run lint

source scripts/postgres-test-server.sh
export REQUIRE_POSTGRES=1
npm test --workspace scoring -- --ci
npm test --workspace api-types -- --ci
npm test --workspace server -- --ci
# the kernel library on both of its usual backends: native TensorFlow (picked first once built) and
# WebAssembly (what a machine without the native build gets)
npm test --workspace kernel-lib -- --ci
DQM_PLAYGROUND_BACKEND=wasm npm test --workspace kernel-lib -- --ci
npm test --workspace extension -- --ci
.venv/bin/python -m unittest discover -s extension/test_python
.venv/bin/python tests/notebooks/run_notebooks.py
bash scripts/test-ui.sh
