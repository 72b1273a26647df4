#!/usr/bin/env bash
# The Python side, inside the project: a virtual environment .venv/ with JupyterLab and nbclient at the
# versions of python/constraints.txt, and the tslab (TypeScript) kernel registered in that environment
# (.venv/share/jupyter/kernels/tslab/), never in the user's home. Idempotent: does only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=.venv

python_ok() { command -v python3 >/dev/null && python3 -c "import venv, ensurepip" 2>/dev/null; }
if ! python_ok; then
  if [ "$(id -u)" != 0 ]; then
    echo "Python 3 with venv is needed (sudo apt-get install python3 python3-venv)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends python3 python3-venv python3-pip >/dev/null
fi

stamp=$VENV/.installed-constraints
if [ ! -x "$VENV/bin/python" ] || ! cmp -s python/constraints.txt "$stamp"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    -r python/requirements.txt -c python/constraints.txt
  cp python/constraints.txt "$stamp"
fi

# The kernel spec written directly: `tslab install` would need IPython and writes to the user's home.
kernel_dir=$VENV/share/jupyter/kernels/tslab
mkdir -p "$kernel_dir"
cat >"$kernel_dir/kernel.json" <<JSON
{
  "argv": ["$ROOT/node_modules/.bin/tslab", "kernel", "--config-path", "{connection_file}"],
  "display_name": "TypeScript (tslab)",
  "language": "typescript"
}
JSON
