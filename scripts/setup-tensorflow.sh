#!/usr/bin/env bash
# `npm run setup:tensorflow [-- options]`: makes the native TensorFlow.js backend available to the
# kernel library without the libtensorflow 2.9.1 download that @tensorflow/tfjs-node(-gpu) attempts
# at install time. It takes the TensorFlow C library from a TensorFlow Python wheel (the one the
# user's Python already has, or the pinned wheel downloaded once into a cache), installs
# @tensorflow/tfjs-node (or -gpu with --gpu) into .tensorflow/node_modules, links the wheel's
# libraries and C headers into the package's deps/ folder and builds the addon from source with
# node-gyp. Idempotent: a second run only checks that the build still loads. See docs/tensorflow.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TFJS_VERSION=4.22.0
# The TensorFlow wheel downloaded when none is given; the versions in docs/tensorflow.md were tested.
DEFAULT_TF_VERSION=2.21.0
# Python tag of the downloaded wheel: the libraries inside do not depend on it.
WHEEL_PYTHON=3.11
PREFIX="${DQM_PLAYGROUND_TENSORFLOW_DIR:-$ROOT/.tensorflow}"
CACHE="$ROOT/.cache/tensorflow"

usage() {
  cat <<EOF
Usage: npm run setup:tensorflow [-- options]

Builds @tensorflow/tfjs-node $TFJS_VERSION against the TensorFlow C library of a TensorFlow Python
wheel, in $PREFIX/node_modules, where the kernel library finds it.
By default it uses the TensorFlow of python3 when it has one, else downloads the pinned
tensorflow-cpu==$DEFAULT_TF_VERSION wheel into the cache (once).

Options:
  --gpu                       build @tensorflow/tfjs-node-gpu; when downloading, take the CUDA wheel
                              'tensorflow' and its NVIDIA CUDA wheels (several GB)
  --python PATH               use the TensorFlow installed for this Python (fails if it has none)
  --download                  ignore python3's TensorFlow: use the pinned wheel from the cache
  --tensorflow-version X.Y.Z  the wheel version to download (implies --download; default $DEFAULT_TF_VERSION)
  --system-cuda               with --gpu and a download: skip the NVIDIA wheels (CUDA 12 and cuDNN 9
                              are installed on the system and found through LD_LIBRARY_PATH)
  --cache-dir DIR             where wheels and unpacked libraries are kept (default .cache/tensorflow)
  --force                     rebuild even when the current build matches
  --check                     only check that the native backend is set up and loads (exit 1 if not)
  -h, --help                  this text

Environment: DQM_PLAYGROUND_TENSORFLOW_DIR installs elsewhere than .tensorflow (the kernel library
reads the same variable).
EOF
}

say() { echo "setup:tensorflow: $*" >&2; }
die() {
  echo "setup:tensorflow: error: $*" >&2
  exit 1
}
usage_error() {
  echo "setup:tensorflow: $*" >&2
  echo "setup:tensorflow: run 'npm run setup:tensorflow -- --help' for the options" >&2
  exit 2
}

GPU=0
PY=""
DOWNLOAD=0
TF_VERSION="$DEFAULT_TF_VERSION"
SYSTEM_CUDA=0
FORCE=0
CHECK=0
while [ $# -gt 0 ]; do
  case "$1" in
    --gpu) GPU=1 ;;
    --cpu) GPU=0 ;;
    --python)
      [ $# -ge 2 ] && [ -n "$2" ] || usage_error "--python needs the path of a Python executable"
      PY="$2"
      shift
      ;;
    --python=*)
      PY="${1#--python=}"
      [ -n "$PY" ] || usage_error "--python needs the path of a Python executable"
      ;;
    --download) DOWNLOAD=1 ;;
    --tensorflow-version | --tensorflow-version=*)
      if [ "$1" = --tensorflow-version ]; then
        [ $# -ge 2 ] || usage_error "--tensorflow-version needs a version such as $DEFAULT_TF_VERSION"
        TF_VERSION="$2"
        shift
      else
        TF_VERSION="${1#--tensorflow-version=}"
      fi
      [[ "$TF_VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+([a-z0-9.]*)$ ]] ||
        usage_error "--tensorflow-version '$TF_VERSION' is not a version such as $DEFAULT_TF_VERSION"
      DOWNLOAD=1
      ;;
    --system-cuda) SYSTEM_CUDA=1 ;;
    --cache-dir)
      [ $# -ge 2 ] && [ -n "$2" ] || usage_error "--cache-dir needs a folder"
      CACHE="$2"
      shift
      ;;
    --cache-dir=*) CACHE="${1#--cache-dir=}" ;;
    --force) FORCE=1 ;;
    --check) CHECK=1 ;;
    -h | --help)
      usage
      exit 0
      ;;
    *) usage_error "unknown option '$1'" ;;
  esac
  shift
done
[ -n "$PY" ] && [ "$DOWNLOAD" = 1 ] &&
  usage_error "--python and --download/--tensorflow-version exclude each other: one TensorFlow per build"
[ "$SYSTEM_CUDA" = 1 ] && [ "$GPU" = 0 ] && usage_error "--system-cuda only applies with --gpu"
# Relative paths are relative to where the command was typed (npm runs scripts in the project root).
HERE="${INIT_CWD:-$PWD}"
case "$CACHE" in /*) ;; *) CACHE="$HERE/$CACHE" ;; esac
case "$PY" in /* | "") ;; */*) PY="$HERE/$PY" ;; esac

if [ "$GPU" = 1 ]; then PKG="@tensorflow/tfjs-node-gpu"; else PKG="@tensorflow/tfjs-node"; fi
PKG_DIR="$PREFIX/node_modules/$PKG"
KERNEL_LIB="$ROOT/kernel-lib"
CHECK_SCRIPT="$ROOT/scripts/check-tensorflow.cjs"

# --- the Python whose TensorFlow is used -------------------------------------------------------
if [ -n "$PY" ]; then
  if [[ "$PY" == */* ]]; then
    [ -e "$PY" ] || die "--python $PY: no such file"
    [ -f "$PY" ] && [ -x "$PY" ] || die "--python $PY: not an executable file"
  else
    command -v "$PY" >/dev/null || die "--python $PY: not found on PATH"
    PY="$(command -v "$PY")"
  fi
  "$PY" -c 'import sys; sys.exit(0 if sys.version_info[0] == 3 else 1)' 2>/dev/null ||
    die "--python $PY: does not run as Python 3"
fi

# Prints dir=, version=, cuda=, nvidia= for the TensorFlow package of a Python, without importing it
# (importing TensorFlow takes seconds and initialises CUDA); prints nothing when it has none.
probe_tensorflow() {
  "$1" - <<'PYEOF'
import importlib.util, os, re
spec = importlib.util.find_spec("tensorflow")
locations = list(spec.submodule_search_locations or []) if spec else []
d = next((p for p in locations if os.path.exists(os.path.join(p, "libtensorflow_framework.so.2"))), locations[0] if locations else None)
if d:
    version = ""
    try:
        from importlib import metadata
        for name in ("tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-intel", "intel-tensorflow", "tf-nightly", "tf-nightly-cpu"):
            try:
                version = metadata.version(name)
                break
            except metadata.PackageNotFoundError:
                pass
    except ImportError:
        pass
    cuda = ""
    try:
        with open(os.path.join(d, "python", "platform", "build_info.py")) as f:
            text = f.read()
        cuda = "yes" if re.search(r"'is_cuda_build', True", text) else "no"
        m = re.search(r"'cuda_version', '([^']*)'", text)
        if m and cuda == "yes":
            cuda = "yes (CUDA " + m.group(1) + ")"
    except OSError:
        pass
    nvidia = os.path.join(os.path.dirname(d), "nvidia")
    print("dir=" + os.path.realpath(d))
    print("version=" + version)
    print("cuda=" + cuda)
    print("nvidia=" + (os.path.realpath(nvidia) if os.path.isdir(nvidia) else ""))
PYEOF
}

# Sets TF_DIR (the folder with the libraries), TF_INCLUDE, TF_VER, TF_CUDA, TF_NVIDIA from a probe.
read_probe() {
  TF_DIR=""
  TF_VER=""
  TF_CUDA=""
  TF_NVIDIA=""
  local line
  while IFS= read -r line; do
    case "$line" in
      dir=*) TF_DIR="${line#dir=}" ;;
      version=*) TF_VER="${line#version=}" ;;
      cuda=*) TF_CUDA="${line#cuda=}" ;;
      nvidia=*) TF_NVIDIA="${line#nvidia=}" ;;
    esac
  done <<<"$1"
  TF_INCLUDE="$TF_DIR/include"
}

# Why a TensorFlow folder cannot be built against ("" when it can).
tf_dir_problem() {
  local d="$1" f
  for f in libtensorflow_cc.so.2 libtensorflow_framework.so.2; do
    [ -e "$d/$f" ] || {
      echo "it has no $f (TensorFlow 2.x wheels from the package index have it; some builds do not ship the C API)"
      return
    }
  done
  [ -f "$d/include/tensorflow/c/c_api.h" ] && [ -f "$d/include/tensorflow/c/eager/c_api.h" ] ||
    echo "it has no C headers under $d/include/tensorflow/c"
}

SOURCE=""
if [ -n "$PY" ]; then
  probe="$(probe_tensorflow "$PY")" || die "--python $PY: could not look for TensorFlow with it"
  [ -n "$probe" ] ||
    die "--python $PY: this Python has no TensorFlow ('import tensorflow' would fail): install one (pip install tensorflow-cpu==$DEFAULT_TF_VERSION, or tensorflow[and-cuda] for a GPU) or leave out --python to download the pinned wheel"
  read_probe "$probe"
  problem="$(tf_dir_problem "$TF_DIR")"
  [ -z "$problem" ] || die "--python $PY: TensorFlow in $TF_DIR cannot be used: $problem"
  SOURCE="python $PY"
elif [ "$DOWNLOAD" = 0 ] && command -v python3 >/dev/null; then
  probe="$(probe_tensorflow python3 2>/dev/null || true)"
  if [ -n "$probe" ]; then
    read_probe "$probe"
    problem="$(tf_dir_problem "$TF_DIR")"
    if [ -z "$problem" ]; then
      SOURCE="python $(command -v python3)"
    else
      say "not using python3's TensorFlow in $TF_DIR: $problem"
    fi
  fi
fi
if [ -n "$SOURCE" ]; then
  if [ "$GPU" = 1 ] && [ "$TF_CUDA" = no ]; then
    say "warning: --gpu, but the TensorFlow in $TF_DIR is not a CUDA build: it will run on the CPU"
  elif [ "$GPU" = 1 ] && [ -z "$TF_CUDA" ]; then
    say "warning: --gpu, but whether the TensorFlow in $TF_DIR is a CUDA build is unknown (no python/platform/build_info.py)"
  fi
fi

if [ "$GPU" = 1 ]; then WHEEL_DIST=tensorflow; else WHEEL_DIST=tensorflow-cpu; fi
if [ -z "$SOURCE" ]; then
  [ "$(uname -s)" = Linux ] || die "downloading TensorFlow is supported on Linux only: pass --python with a Python that has TensorFlow"
  case "$(uname -m)" in
    x86_64) WHEEL_PLATFORMS=(manylinux_2_27_x86_64 manylinux_2_17_x86_64 manylinux2014_x86_64) ;;
    aarch64)
      WHEEL_DIST=tensorflow
      WHEEL_PLATFORMS=(manylinux_2_27_aarch64 manylinux_2_17_aarch64 manylinux2014_aarch64)
      ;;
    *) die "no TensorFlow wheels for $(uname -m): pass --python with a Python that has TensorFlow" ;;
  esac
  UNPACKED="$CACHE/$WHEEL_DIST-$TF_VERSION"
  [ "$GPU" = 1 ] && [ "$SYSTEM_CUDA" = 0 ] && UNPACKED="$UNPACKED-cuda"
  TF_DIR="$UNPACKED/tensorflow"
  TF_INCLUDE="$TF_DIR/include"
  TF_VER="$TF_VERSION"
  TF_NVIDIA=""
  [ "$GPU" = 1 ] && [ "$SYSTEM_CUDA" = 0 ] && TF_NVIDIA="$UNPACKED/nvidia"
  SOURCE="wheel $WHEEL_DIST==$TF_VERSION"
fi

# --- what the build needs -----------------------------------------------------------------------
# Resolved the way the kernel library resolves them: tfjs-node must register its backend with the
# same @tensorflow/tfjs-core instance.
tfjs_core_of() {
  node -e '
    const path = require("path");
    const tfjs = require.resolve("@tensorflow/tfjs/package.json", { paths: [process.argv[1]] });
    const core = require.resolve("@tensorflow/tfjs-core/package.json", { paths: [path.dirname(tfjs)] });
    console.log(require(tfjs).version + " " + require(core).version + " " + path.dirname(core));
  ' "$1" 2>/dev/null
}

STAMP="$PREFIX/setup-stamp.txt"
wanted_stamp() {
  local lib
  lib="$(readlink -f "$TF_DIR/libtensorflow_cc.so.2" 2>/dev/null || echo "$TF_DIR/libtensorflow_cc.so.2")"
  printf '%s\n' "package=$PKG@$TFJS_VERSION" "source=$SOURCE" "library=$lib" "nvidia=$TF_NVIDIA" \
    "node=$(node -p 'process.versions.modules + "/napi" + process.versions.napi')"
}

if [ "$CHECK" = 1 ]; then
  for p in @tensorflow/tfjs-node-gpu @tensorflow/tfjs-node; do
    if [ -f "$PREFIX/node_modules/$p/package.json" ]; then
      exec node "$CHECK_SCRIPT" "$PREFIX/node_modules/$p" "$KERNEL_LIB"
    fi
  done
  die "the native backend is not set up ($PREFIX/node_modules has neither @tensorflow/tfjs-node nor -gpu): run npm run setup:tensorflow"
fi

command -v node >/dev/null || die "node is not on PATH"
command -v npm >/dev/null || die "npm is not on PATH"
core="$(tfjs_core_of "$KERNEL_LIB")" ||
  die "@tensorflow/tfjs is not installed for the kernel library: run 'npm ci' in $ROOT first"
read -r tfjs_version core_version CORE_DIR <<<"$core"
[ "$tfjs_version" = "$TFJS_VERSION" ] && [ "$core_version" = "$TFJS_VERSION" ] ||
  die "the kernel library uses @tensorflow/tfjs $tfjs_version (tfjs-core $core_version) but this script builds tfjs-node $TFJS_VERSION: update TFJS_VERSION in scripts/setup-tensorflow.sh to match"

if [ "$FORCE" = 0 ] && [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$(wanted_stamp)" ] && [ -f "$PKG_DIR/package.json" ]; then
  if node "$CHECK_SCRIPT" "$PKG_DIR" "$KERNEL_LIB"; then
    say "already set up: $PKG $TFJS_VERSION built against TensorFlow ${TF_VER:-?} from $SOURCE (--force rebuilds)"
    exit 0
  fi
  say "the existing build does not work (above): building again"
fi

missing=()
CXX_BIN="${CXX:-g++}"
command -v "${CXX_BIN%% *}" >/dev/null || missing+=("a C++ compiler ($CXX_BIN)")
command -v make >/dev/null || missing+=("make")
command -v python3 >/dev/null || missing+=("python3 (node-gyp runs on it)")
if [ ${#missing[@]} -gt 0 ]; then
  die "building the addon needs ${missing[*]}: on Debian/Ubuntu 'apt-get install g++ make python3', on RHEL/Alma 'dnf install gcc-c++ make python3'"
fi

# Node's headers, so that node-gyp does not download them.
NODEDIR=""
node_prefix="$(node -p 'require("path").dirname(require("path").dirname(process.execPath))')"
for d in "${npm_config_nodedir:-}" "$node_prefix" "$(npm config get nodedir 2>/dev/null || true)"; do
  if [ -n "$d" ] && [ "$d" != undefined ] && [ -f "$d/include/node/node_api.h" ] && [ -f "$d/include/node/common.gypi" ]; then
    NODEDIR="$d"
    break
  fi
done
[ -n "$NODEDIR" ] ||
  die "the Node.js headers (include/node/node_api.h and common.gypi) are not in $node_prefix nor in npm_config_nodedir: install the Node.js development headers for $(node --version) and set npm_config_nodedir to the folder that holds include/node"

# --- the TensorFlow wheel, downloaded once --------------------------------------------------------
# Unpacks from a wheel (a zip) the members whose names start with one of the prefixes (all if none).
unpack_wheel() {
  python3 - "$@" <<'PYEOF'
import os, sys, zipfile
wheel, dest, prefixes = sys.argv[1], sys.argv[2], tuple(sys.argv[3:])
with zipfile.ZipFile(wheel) as z:
    for info in z.infolist():
        name = info.filename
        if ".dist-info/" in name.split("/", 1)[0] + "/" or name.endswith("/"):
            continue
        if prefixes and not name.startswith(prefixes):
            continue
        path = z.extract(info, dest)
        mode = (info.external_attr >> 16) & 0o777
        if mode:
            os.chmod(path, mode)
PYEOF
}

# pip_download DEST REQUIREMENT...: wheels for Linux and Python $WHEEL_PYTHON, whatever python3 is.
pip_download() {
  local args=(--no-deps --only-binary=:all: --python-version "$WHEEL_PYTHON" -d "$1")
  shift
  local p
  for p in "${WHEEL_PLATFORMS[@]}"; do args+=(--platform "$p"); done
  python3 -m pip download --quiet --progress-bar off "${args[@]}" "$@"
}

if [[ "$SOURCE" == wheel* ]] && [ ! -f "$UNPACKED/.complete" ]; then
  command -v python3 >/dev/null || die "downloading the TensorFlow wheel needs python3 with pip"
  python3 -m pip --version >/dev/null 2>&1 ||
    die "downloading the TensorFlow wheel needs pip for python3 (Debian: apt-get install python3-pip), or pass --python with a Python that has TensorFlow"
  mkdir -p "$CACHE/wheels"
  wheel_name="${WHEEL_DIST//-/_}-$TF_VERSION-"
  wheel="$(ls "$CACHE/wheels/$wheel_name"*.whl 2>/dev/null | head -1 || true)"
  if [ -z "$wheel" ]; then
    say "downloading $WHEEL_DIST==$TF_VERSION (a few hundred MB, once) into $CACHE/wheels"
    pip_download "$CACHE/wheels" "$WHEEL_DIST==$TF_VERSION" ||
      die "could not download $WHEEL_DIST==$TF_VERSION from the Python package index (is it reachable, and does this version exist for Linux $(uname -m)?)"
    wheel="$(ls "$CACHE/wheels/$wheel_name"*.whl 2>/dev/null | head -1 || true)"
    [ -n "$wheel" ] || die "pip reported success but no $wheel_name*.whl is in $CACHE/wheels"
  fi
  say "unpacking the TensorFlow C library and headers from $(basename "$wheel")"
  rm -rf "$UNPACKED"
  mkdir -p "$UNPACKED"
  unpack_wheel "$wheel" "$UNPACKED" \
    tensorflow/libtensorflow_cc.so.2 tensorflow/libtensorflow_framework.so.2 \
    tensorflow/include/tensorflow/c/ tensorflow/include/tensorflow/core/platform/ctstring \
    tensorflow/include/tsl/platform/ctstring tensorflow/include/tsl/c/ tensorflow/include/xla/tsl/c/ \
    tensorflow/include/tensorflow/tsl/platform/ctstring tensorflow/include/tensorflow/tsl/c/ \
    tensorflow/python/platform/build_info.py
  if [ -n "$TF_NVIDIA" ]; then
    # The CUDA libraries TensorFlow loads, as the wheel's "and-cuda" extra names them.
    mapfile -t cuda_reqs < <(python3 - "$wheel" <<'PYEOF'
import sys, zipfile
from email.parser import Parser
with zipfile.ZipFile(sys.argv[1]) as z:
    meta = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
    msg = Parser().parsestr(z.read(meta).decode())
for req in msg.get_all("Requires-Dist") or []:
    spec, _, marker = req.partition(";")
    if "and-cuda" in marker:
        print(spec.strip().replace(" ", ""))
PYEOF
    )
    [ ${#cuda_reqs[@]} -gt 0 ] || die "$(basename "$wheel") names no CUDA wheels (extra 'and-cuda'): use --system-cuda or --python"
    say "downloading the CUDA wheels (${#cuda_reqs[@]} packages, several GB, once): ${cuda_reqs[*]}"
    cuda_wheels="$CACHE/wheels/cuda-for-$WHEEL_DIST-$TF_VERSION"
    mkdir -p "$cuda_wheels"
    pip_download "$cuda_wheels" "${cuda_reqs[@]}" || die "could not download the CUDA wheels ${cuda_reqs[*]}"
    for w in "$cuda_wheels"/*.whl; do
      say "unpacking $(basename "$w")"
      unpack_wheel "$w" "$UNPACKED" nvidia/
    done
  fi
  problem="$(tf_dir_problem "$TF_DIR")"
  [ -z "$problem" ] || die "the wheel $(basename "$wheel") cannot be used: $problem"
  touch "$UNPACKED/.complete"
fi

# --- tfjs-node in its own folder, sharing the project's tfjs ---------------------------------------
say "using TensorFlow ${TF_VER:-(version unknown)} from $SOURCE ($TF_DIR)"
mkdir -p "$PREFIX"
cat >"$PREFIX/package.json" <<EOF
{
  "name": "dqm-playground-native-tensorflow",
  "private": true,
  "description": "Written by scripts/setup-tensorflow.sh: the native TensorFlow.js backend, built against a TensorFlow wheel's C library",
  "dependencies": { "$PKG": "$TFJS_VERSION" }
}
EOF
installed="$(node -p "try { require('$PKG_DIR/package.json').version } catch { '' }")"
other="@tensorflow/tfjs-node"
[ "$GPU" = 0 ] && other="@tensorflow/tfjs-node-gpu"
if [ "$installed" != "$TFJS_VERSION" ] || [ -e "$PREFIX/node_modules/$other" ]; then
  say "installing $PKG@$TFJS_VERSION into $PREFIX/node_modules (its install script is not run)"
  rm -rf "$PREFIX/node_modules/$other"
  (cd "$PREFIX" && npm install --prefix "$PREFIX" --ignore-scripts --no-audit --no-fund --loglevel=error) ||
    die "npm could not install $PKG@$TFJS_VERSION into $PREFIX"
fi
# One @tensorflow/tfjs-core at runtime: drop the copies npm installed beside tfjs-node, so that its
# require("@tensorflow/tfjs") and require("@tensorflow/tfjs-core") resolve, walking up the folders,
# to the project's own copies (the backend must register with the instance the kernel library uses).
for d in "$PREFIX"/node_modules/@tensorflow/*; do
  case "$(basename "$d")" in
    tfjs-node | tfjs-node-gpu) ;;
    *) rm -rf "$d" ;;
  esac
done
shared_core="$(tfjs_core_of "$PKG_DIR")" || shared_core=""
[ "${shared_core##* }" = "$CORE_DIR" ] ||
  die "$PKG in $PREFIX would use @tensorflow/tfjs-core from '${shared_core##* }', not the kernel library's $CORE_DIR: put $PREFIX inside the project folder (DQM_PLAYGROUND_TENSORFLOW_DIR)"

# deps/: what the package's install script would have downloaded, as links to the wheel's files.
# libtensorflow.so.2.9.1 is the file whose presence makes the install script skip its download.
DEPS="$PKG_DIR/deps"
rm -rf "$DEPS" "$PKG_DIR/lib" "$PKG_DIR/build"
mkdir -p "$DEPS/lib"
ln -s "$TF_DIR/libtensorflow_cc.so.2" "$DEPS/lib/libtensorflow_cc.so.2"
ln -s "$TF_DIR/libtensorflow_framework.so.2" "$DEPS/lib/libtensorflow_framework.so.2"
ln -s libtensorflow_cc.so.2 "$DEPS/lib/libtensorflow.so"
ln -s libtensorflow_framework.so.2 "$DEPS/lib/libtensorflow_framework.so"
ln -s libtensorflow_cc.so.2 "$DEPS/lib/libtensorflow.so.2.9.1"
ln -s "$TF_INCLUDE" "$DEPS/include"
# A CUDA build of TensorFlow finds the NVIDIA wheels' libraries through its run path
# $ORIGIN/../nvidia/*/lib; $ORIGIN is deps/lib here (the dynamic loader does not resolve links).
if [ -n "$TF_NVIDIA" ] && [ -d "$TF_NVIDIA" ]; then ln -s "$TF_NVIDIA" "$DEPS/nvidia"; fi

# The package's own "build-addon-from-source" script (node-pre-gyp install --build-from-source), not
# its install script: that one downloads libtensorflow (always, for -gpu) or a prebuilt addon.
say "building the $PKG addon with node-gyp (Node headers from $NODEDIR; about a minute on 2 cores)"
log="$PREFIX/build.log"
if ! (cd "$PKG_DIR" && npm_config_nodedir="$NODEDIR" npm run build-addon-from-source) >"$log" 2>&1; then
  tail -n 40 "$log" >&2
  die "building the addon failed (full log: $log)"
fi
binding="$(ls "$PKG_DIR"/lib/napi-v*/tfjs_binding.node 2>/dev/null | head -1 || true)"
if [ -z "$binding" ]; then
  tail -n 40 "$log" >&2
  die "node-gyp produced no tfjs_binding.node (full log: $log)"
fi

if ! node "$CHECK_SCRIPT" "$PKG_DIR" "$KERNEL_LIB"; then
  die "the addon was built but does not work (see above)"
fi
wanted_stamp >"$STAMP"
say "done: the kernel library now picks the native backend ($PKG_DIR)"
