#!/usr/bin/env bash
# Opens the chaos report that `mvn verify` wrote in a real headless browser (Debian's chromium),
# checks that the page rendered its timeline charts, and keeps a screenshot beside the report.
#
#   .ci/check-report.sh [REPORT_DIR]    (default: chaos-junit-examples/target/chaos-report)
#
# Checks, on the DOM as chromium left it (--dump-dom):
#   - the page's own render check ran (body data-rendered="yes"): it counts, after layout, the
#     charts, fault bands and recovery markers that the browser drew with a non-zero size;
#   - one chart per test in chaos-report.json, at least one fault band, at least one recovery marker;
#   - the page loads nothing (no http:// or https:// reference);
# and that the screenshot (REPORT_DIR/screenshot.png) is a PNG of some substance.
# Installs chromium with apt-get when it is missing and this runs as root.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
REPORT=$(cd "${1:-$ROOT/chaos-junit-examples/target/chaos-report}" && pwd)
HTML="$REPORT/index.html"
JSON="$REPORT/chaos-report.json"
SHOT="$REPORT/screenshot.png"
DOM="$REPORT/dom.html"

fail() { echo "check-report: FAILED: $*" >&2; exit 1; }
[ -s "$HTML" ] || fail "no report at $HTML; run mvn verify first"
[ -s "$JSON" ] || fail "no $JSON"

CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "check-report: installing chromium"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null \
      || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
    CHROMIUM=$(command -v chromium)
  else
    fail "chromium is not installed (apt-get install -y chromium)"
  fi
fi

PROFILE=$(mktemp -d)
trap 'rm -rf "$PROFILE"' EXIT
FLAGS=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking
       --disable-component-update --disable-sync --user-data-dir="$PROFILE" --window-size=1280,2000)

rm -f "$SHOT" "$DOM"
timeout 120 "$CHROMIUM" "${FLAGS[@]}" --screenshot="$SHOT" "file://$HTML" >/dev/null 2>"$REPORT/chromium.log" \
  || fail "chromium could not take the screenshot (see $REPORT/chromium.log)"
timeout 120 "$CHROMIUM" "${FLAGS[@]}" --dump-dom "file://$HTML" >"$DOM" 2>>"$REPORT/chromium.log" \
  || fail "chromium could not dump the DOM (see $REPORT/chromium.log)"

attr() { sed -n "s/.*<body[^>]* $1=\"\([0-9a-z]*\)\".*/\1/p" "$DOM" | head -1; }
tests=$(grep -c '{"class": ' "$JSON" || true)
rendered=$(attr data-rendered)
charts=$(attr data-charts)
bands=$(attr data-fault-bands)
markers=$(attr data-recovery-markers)
echo "check-report: $tests tests in the JSON; rendered: charts=$charts fault-bands=$bands recovery-markers=$markers"

[ "$rendered" = yes ] || fail "the page's render check did not run (no data-rendered on <body>)"
[ "$tests" -ge 1 ] || fail "no test in $JSON"
[ "$charts" = "$tests" ] || fail "$charts charts drawn for $tests tests"
[ "$bands" -ge 1 ] || fail "no fault band drawn"
[ "$markers" -ge 1 ] || fail "no recovery marker drawn"
grep -q 'class="fault-band fault-' "$DOM" || fail "no fault band in the DOM"
grep -q 'class="recovery-marker"' "$DOM" || fail "no recovery marker in the DOM"
if grep -qE 'https?://' "$HTML"; then fail "the report references the network: $(grep -oE 'https?://[^" ]*' "$HTML" | head -3)"; fi

[ -s "$SHOT" ] || fail "no screenshot"
[ "$(head -c 8 "$SHOT" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$SHOT is not a PNG"
size=$(stat -c %s "$SHOT")
[ "$size" -gt 20000 ] || fail "the screenshot is only $size bytes: a blank page?"
echo "check-report: OK; screenshot $SHOT ($size bytes), DOM $DOM"
