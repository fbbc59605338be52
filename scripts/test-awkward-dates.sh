#!/usr/bin/env bash
# The server's test suite with the test processes' clock moved to an awkward moment by libfaketime
# (apt-get install faketime); the clock then runs on from there. Only Node's clock is moved: the
# PostgreSQL server keeps the real time, as a database on another machine would.
#
#   scripts/test-awkward-dates.sh ['YYYY-MM-DD hh:mm:ss' in UTC] [vitest arguments…]
#
# Default moment: 2028-02-29 23:30:00 UTC, the end of a leap day, when it is already 1 March in
# Warsaw. TZ in the environment applies too (CI adds TZ=Pacific/Kiritimati, UTC+14).
set -euo pipefail
cd "$(dirname "$0")/../apps/server"
at="${1:-2028-02-29 23:30:00}"
shift $(($# > 0 ? 1 : 0))
if ! command -v faketime >/dev/null; then
  echo "faketime is not installed (apt-get install -y faketime)" >&2
  exit 2
fi
target=$(date -u -d "$at" +%s)
offset=$((target - $(date -u +%s)))
echo "Test clock from $(date -u -d "@$target" '+%Y-%m-%d %H:%M:%S') UTC (TZ=${TZ:-unset}); database clock: real"
# A relative offset rather than faketime's "@start": every child process (vitest's workers, the
# servers some tests spawn) then reads one and the same clock. Monotonic clocks (timers) stay real;
# PostgreSQL's own programs (an embedded server, psql) are never faked.
export FAKETIME_SKIP_CMDS=postgres,initdb,pg_ctl,psql,pgbench
# Volume tests prove their property at a smaller size in the repeat passes (test/support/repeat-pass.ts).
export LOJAL_REPEAT_PASS=1
exec faketime --exclude-monotonic -f "$(printf '%+ds' "$offset")" npx vitest run "$@"
