#!/usr/bin/env bash
# `npm run bench [-- options]`: sets up the Python reference (pinned pandas, pyarrow, numpy,
# scikit-learn and PyROOT in .venv-bench/, once), builds the server, and runs the benchmark
# (server/dist/bench/run.js; `npm run bench -- --help` lists the options; see BENCHMARKS.md).
# Without python3, or when the packages cannot be installed, the benchmark still runs and marks the
# reference figures as skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv-bench
# Versions checked to exist on the package index; bump them together.
# root is PyROOT as a pip package (ROOT 6.40.00, about 250 MB; a pre-release, installable when pinned exactly):
# it writes the nanoDQMIO file of the ROOT part and reads it into numpy as the reference.
REQUIREMENTS=(pandas==3.1.1 pyarrow==26.0.1 numpy==2.4.6 scikit-learn==1.9.1 scipy==1.17.1 root==0.1a12)
STAMP="$VENV/.bench-requirements"

if [ "$(cat "$STAMP" 2>/dev/null)" != "${REQUIREMENTS[*]}" ]; then
  if command -v python3 >/dev/null; then
    echo "setting up $VENV (${REQUIREMENTS[*]}) for the reference figures" >&2
    rm -rf "$VENV"
    if python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet "${REQUIREMENTS[@]}"; then
      echo "${REQUIREMENTS[*]}" >"$STAMP"
    else
      echo "could not install ${REQUIREMENTS[*]}: the reference figures will be skipped" >&2
      rm -rf "$VENV"
    fi
  else
    echo "no python3: the reference figures will be skipped" >&2
  fi
fi

# The server's own TypeScript build (what the benchmark runs); the other workspaces are not needed.
npm run --silent build --workspace server
node server/dist/bench/run.js "$@"

# The kernel library's part: split loading into tensors and autoencoder training on every available
# backend next to PyTorch and Keras (its own Python references in .venv-train-bench/; see
# kernel-lib/bench/). Its options: bash kernel-lib/bench/run.sh --help. DQM_BENCH_SKIP_TRAINING=1 skips it.
[ -n "${DQM_BENCH_SKIP_TRAINING:-}" ] || bash kernel-lib/bench/run.sh

# The JupyterLab extension in Chromium: a run of 1,000 lumisections x 100 bins to its heatmap, and
# scrolling a 10,000-row leaderboard (tests/ui/perf.ts). DQM_BENCH_SKIP_UI=1 skips it.
[ -n "${DQM_BENCH_SKIP_UI:-}" ] || {
  bash scripts/setup-python.sh && npm run --silent build && bash scripts/setup-extension.sh &&
    bash scripts/test-ui.sh --perf
}
