#!/usr/bin/env bash
# The project's start command (`npm start`): installs and builds what is missing, creates the demo
# data set in $DQM_PLAYGROUND_HOME (default ~/.dqm-playground) if it is not there, serves the API, and
# opens JupyterLab (from the project's .venv, with the tslab TypeScript kernel and the DQM Playground
# extension) on the example notebooks.
#   DQM_DEMO_SIZE=full npm start    the whole 2018 year instead of the small demo
#   PORT=8750                        the port of the playground service
#   LAB_PORT=8888                    the port of JupyterLab
#   NO_LAB=1 npm start               the service only
#   NO_NATIVE=1 npm start            skip building the native TensorFlow backend (notebooks then train
#                                    on WebAssembly, several times slower; docs/tensorflow.md)
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh
[ -n "${NO_LAB:-}" ] || bash scripts/setup-python.sh
npm run build
[ -n "${NO_LAB:-}" ] || bash scripts/setup-extension.sh
if [ -z "${NO_LAB:-}" ] && [ -z "${NO_NATIVE:-}" ]; then
  # fast training in the notebooks: native TensorFlow (python3's, else the pinned wheel, downloaded
  # once); the notebooks still work without it
  bash scripts/setup-tensorflow.sh ||
    echo "start: the native TensorFlow backend could not be set up (see above): the notebooks will train on WebAssembly" >&2
fi
cli=server/dist/cli/main.js
node "$cli" demo --size "${DQM_DEMO_SIZE:-small}"
if [ -n "${NO_LAB:-}" ]; then
  exec node "$cli" serve --port "${PORT:-8750}"
fi

node "$cli" serve --port "${PORT:-8750}" --quiet &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null' EXIT
home=${DQM_PLAYGROUND_HOME:-$HOME/.dqm-playground}
for _ in $(seq 300); do
  [ -f "$home/server.json" ] && break
  kill -0 $service 2>/dev/null || { echo "the playground service did not start" >&2; exit 1; }
  sleep 0.2
done
echo "playground service: $(node -p "require('$home/server.json').url")" >&2

lab_args=(--notebook-dir examples --port "${LAB_PORT:-8888}")
[ "$(id -u)" != 0 ] || lab_args+=(--allow-root)
.venv/bin/jupyter lab "${lab_args[@]}"
