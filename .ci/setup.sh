#!/usr/bin/env bash
# Everything `npm test` and `npm run demo` need, idempotent: system packages (when root),
# node_modules (when missing), and the build.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $(id -u) == 0 && $(uname -s) == Linux ]] && command -v apt-get >/dev/null; then
  bash .ci/packages.sh
else
  echo "minesweep: not root on Debian: skipping system packages (the lab and e2e tests need root; see .ci/packages.sh)" >&2
fi
[[ -d node_modules/.bin ]] || npm ci --no-audit --no-fund
npm run build --silent
