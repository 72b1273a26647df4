#!/usr/bin/env bash
# Sets up the Python references of the kernel library's training benchmark, once: a virtual
# environment .venv-train-bench/ at the repository root with pinned PyTorch, tensorflow-cpu (Keras 3),
# numpy, pandas and pyarrow from the package index. It is separate from scripts/bench.sh's
# .venv-bench so that neither setup rebuilds the other's.
#
# The Linux x86_64 torch wheel on the package index is the CUDA build: it pulls the NVIDIA CUDA
# libraries as dependencies (about 4 GB installed; the benchmark runs it on the CPU only). The index
# has no CPU-only torch wheel; tensorflow-cpu is CPU-only.
#
# Exits non-zero when the packages cannot be installed; the benchmark then marks the references as
# skipped.
set -euo pipefail
cd "$(dirname "$0")/../.."

VENV=.venv-train-bench
# Versions checked to exist on the package index for Python 3.11 (Linux x86_64); bump them together.
REQUIREMENTS=(torch==2.15.0 tensorflow-cpu==2.21.0 numpy==2.4.6 pandas==3.1.1 pyarrow==26.0.1)
STAMP="$VENV/.requirements"

if [ "$(cat "$STAMP" 2>/dev/null)" = "${REQUIREMENTS[*]}" ]; then
  exit 0
fi
if ! command -v python3 >/dev/null; then
  echo "no python3: the PyTorch and Keras references will be skipped" >&2
  exit 1
fi
echo "setting up $VENV (${REQUIREMENTS[*]}; torch brings the CUDA libraries, several GB)" >&2
rm -rf "$VENV"
if python3 -m venv "$VENV" && "$VENV/bin/pip" install --quiet "${REQUIREMENTS[@]}"; then
  echo "${REQUIREMENTS[*]}" >"$STAMP"
else
  echo "could not install ${REQUIREMENTS[*]}: the references will be skipped" >&2
  rm -rf "$VENV"
  exit 1
fi
