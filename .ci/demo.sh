#!/usr/bin/env bash
# npm run demo: the main job on the built-in lab fleet — lab up, sweep, remediate (plan,
# then --apply with verification), harden, and the report. Leaves the lab up to explore;
# `node dist/cli.js lab down` removes it.
set -uo pipefail
cd "$(dirname "$0")/.."
ms() { node dist/cli.js "$@"; }
[[ $(id -u) == 0 ]] || { echo "npm run demo: the lab needs root (network namespaces). Run it as root." >&2; exit 2; }

lab=/var/lib/minesweep/lab
inv=$lab/inventory.yml
ms lab up --hosts "${DEMO_HOSTS:-11}" || exit $?
echo; echo "== sweep (read-only)"
ms sweep -i "$inv"
echo; echo "== remediate --apply (evidence, contain, unlock, persistence, access, processes, files, restore, verify)"
ms remediate -i "$inv" --apply --verify-after "${DEMO_VERIFY_AFTER:-75s}"
echo; echo "== harden --apply (iptables, Redis, SSH)"
ms harden -i "$inv" --apply
ls -1 runs/*/report.html 2>/dev/null | tail -3 | sed "s/^/report: /"
echo; echo "The lab is still up: 'node dist/cli.js lab status', 'node dist/cli.js lab down'."
