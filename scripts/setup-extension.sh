#!/usr/bin/env bash
# The JupyterLab extension in the project's .venv/: builds extension/ when its sources changed
# (TypeScript to extension/lib/, then the prebuilt extension with JupyterLab's builder into
# extension/dqm_playground_jupyterlab/labextension/), installs the Python package
# dqm-playground-jupyterlab in editable mode (the jupyter-server-proxy entry point that starts the
# playground service, the tslab kernel spec) and links the built extension into .venv's JupyterLab.
# Idempotent: does only what is missing. Needs node_modules/ (scripts/setup.sh) and .venv/
# (scripts/setup-python.sh).
#   DQM_EXTENSION_BUILD=prod bash scripts/setup-extension.sh    minified production build
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=$ROOT/.venv
EXT=extension
PYPKG=$EXT/dqm_playground_jupyterlab
OUT=$PYPKG/labextension
MODE=${DQM_EXTENSION_BUILD:-dev}

if [ ! -x "$VENV/bin/jupyter" ]; then
  echo "no JupyterLab in $VENV: run scripts/setup-python.sh first" >&2
  exit 1
fi
if [ ! -d node_modules/@jupyterlab/builder ]; then
  echo "the extension's npm packages are missing: run scripts/setup.sh first" >&2
  exit 1
fi
export PATH="$VENV/bin:$PATH"

# 1. Build when a source, the schema, the styles or the lockfile changed since the last build.
sources_hash() {
  {
    find "$EXT/src" "$EXT/schema" style -type f -print0 | sort -z | xargs -0 sha256sum
    sha256sum "$EXT/package.json" "$EXT/tsconfig.json" package-lock.json
    echo "$MODE"
  } | sha256sum | cut -d' ' -f1
}
stamp=$EXT/lib/.labextension-build
want=$(sources_hash)
# JupyterLab's builder runs `jlpm install` in the extension when it has no node_modules folder; with
# npm workspaces everything is hoisted to the root, so an empty folder there keeps it from doing that
# (it then finds @jupyterlab/builder in the root node_modules).
mkdir -p "$EXT/node_modules"
if [ ! -f "$OUT/package.json" ] || [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "building the JupyterLab extension ($MODE)" >&2
  log=$(mktemp)
  script=build
  [ "$MODE" != prod ] || script=build:prod
  if ! npm run --silent "$script" --workspace "$EXT" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "the extension build failed (npm run $script --workspace $EXT)" >&2
    exit 1
  fi
  rm -f "$log"
  echo "$want" >"$stamp"
fi

# 2. The Python package, editable (this checkout's folder on sys.path): entry points and kernel spec.
#    HATCH_JUPYTER_BUILDER_SKIP_NPM: step 1 built the JavaScript already.
pystamp=$VENV/.installed-extension
pywant=$(sha256sum "$EXT/pyproject.toml" | cut -d' ' -f1)
if ! "$VENV/bin/python" -c "import dqm_playground_jupyterlab" 2>/dev/null || ! [ -f "$pystamp" ] ||
  [ "$(cat "$pystamp")" != "$pywant" ]; then
  link=$VENV/share/jupyter/labextensions/@dqm-playground/jupyterlab
  # pip would remove the previous install's files through the development link, in this checkout.
  [ ! -L "$link" ] || rm "$link"
  HATCH_JUPYTER_BUILDER_SKIP_NPM=1 "$VENV/bin/pip" install --quiet --disable-pip-version-check \
    --no-build-isolation --no-deps -e "$EXT"
  echo "$pywant" >"$pystamp"
fi

# 3. JupyterLab loads the extension from this checkout's build output (a symbolic link).
link=$VENV/share/jupyter/labextensions/@dqm-playground/jupyterlab
if [ "$(readlink -f "$link" 2>/dev/null)" != "$ROOT/$OUT" ]; then
  "$VENV/bin/jupyter" labextension develop --overwrite "$EXT" >/dev/null
fi
