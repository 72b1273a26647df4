#!/usr/bin/env bash
# UI tests of the JupyterLab extension (tests/ui/): Playwright drives Debian's Chromium (never a
# downloaded browser) through a real JupyterLab of the project's .venv, with the extension and the tslab
# kernel, against a real playground service on a fresh demo home; the tests start and stop both.
# Screenshots of each panel in the light and the dark theme go to test-results/ui/screenshots/.
# Needs what scripts/test.sh sets up first: node_modules, the build, .venv and the extension in it.
#   bash scripts/test-ui.sh                       run the tests (extra arguments go to playwright test)
#   bash scripts/test-ui.sh --update-screenshots  then copy the screenshots to docs/screenshots/
#   bash scripts/test-ui.sh --perf                the panels' performance instead (tests/ui/perf.ts; a
#                                                 table and bench-results/ui-perf.json; npm run bench)
#   CHROMIUM_PATH=/path/to/chromium               another Chromium; DQM_UI_KEEP=1 keeps the temporary folders
set -euo pipefail
cd "$(dirname "$0")/.."

update=0
config=tests/ui/playwright.config.ts
args=()
for arg in "$@"; do
  case $arg in
    --update-screenshots) update=1 ;;
    --perf) config=tests/ui/perf.config.ts ;;
    *) args+=("$arg") ;;
  esac
done

chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
if [ ! -x "$chromium" ]; then
  if [ -z "${CHROMIUM_PATH:-}" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing Debian's chromium for the UI tests" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends chromium >/dev/null
  fi
  if [ ! -x "$chromium" ]; then
    echo "the UI tests need Chromium at $chromium: install Debian's package (sudo apt-get install chromium)" \
      "or set CHROMIUM_PATH to a Chromium executable" >&2
    exit 1
  fi
fi

export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
node_modules/.bin/tsc -p tests/ui/tsconfig.json
node_modules/.bin/playwright test -c "$config" "${args[@]}"

if [ "$update" = 1 ]; then
  mkdir -p docs/screenshots
  cp test-results/ui/screenshots/*.png docs/screenshots/
  echo "copied $(ls test-results/ui/screenshots/*.png | wc -l) screenshots to docs/screenshots/" >&2
fi
