#!/usr/bin/env bash
# Opens the chaos report that `mvn verify` wrote in a real headless browser (Debian's chromium),
# checks that the page rendered its timeline charts, and keeps a screenshot beside the report.
#
#   .ci/check-report.sh [REPORT_DIR]    (default: chaos-junit-examples/target/chaos-report)
#
# Checks, on the DOM as chromium left it (--dump-dom):
#   - the page's own render check ran (body data-rendered="yes"): it counts, after layout, the
#     charts, fault bands, recovery markers, probe calls (all and failed) and SLO verdicts that the
#     browser drew with a non-zero size, and how many probe calls and verdicts the page's data has;
#   - one chart per test in chaos-report.json, at least one fault band, at least one recovery marker;
#   - when the JSON has probes: every probe call drawn (at least one), and at least one failed call
#     drawn in some test (the examples' probes fail while their faults act);
#   - every SLO verdict in the data is drawn;
#   - the page is self-contained: no tag references another file (src, href, ...), no url() or
#     @import in its CSS (an error message in the text may quote a URL);
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
samples=$(attr data-probe-samples)
samples_expected=$(attr data-probe-samples-expected)
failed=$(attr data-probe-failed-samples)
failed_expected=$(attr data-probe-failed-samples-expected)
verdicts=$(attr data-verdicts)
verdicts_expected=$(attr data-verdicts-expected)
probes=$(grep -c '"probes": \[{' "$JSON" || true)
echo "check-report: $tests tests in the JSON, $probes with probes; rendered: charts=$charts fault-bands=$bands" \
  "recovery-markers=$markers probe-samples=$samples/$samples_expected failed-samples=$failed/$failed_expected" \
  "verdicts=$verdicts/$verdicts_expected"

[ "$rendered" = yes ] || fail "the page's render check did not run (no data-rendered on <body>)"
[ "$tests" -ge 1 ] || fail "no test in $JSON"
[ "$charts" = "$tests" ] || fail "$charts charts drawn for $tests tests"
[ "$bands" -ge 1 ] || fail "no fault band drawn"
[ "$markers" -ge 1 ] || fail "no recovery marker drawn"
grep -q 'class="fault-band fault-' "$DOM" || fail "no fault band in the DOM"
grep -q 'class="recovery-marker"' "$DOM" || fail "no recovery marker in the DOM"
[ -n "$samples_expected" ] && [ -n "$verdicts_expected" ] || fail "the page's render check could not read the page's data"
[ "$samples" = "$samples_expected" ] || fail "$samples probe calls drawn of $samples_expected in the data"
[ "$failed" = "$failed_expected" ] || fail "$failed failed probe calls drawn of $failed_expected in the data"
[ "$verdicts" = "$verdicts_expected" ] || fail "$verdicts SLO verdicts drawn of $verdicts_expected in the data"
if [ "$probes" -ge 1 ]; then
  [ "$samples" -ge 1 ] || fail "the JSON has probes, but no probe call was drawn"
  [ "$failed" -ge 1 ] || fail "no failed probe call drawn: no probe reacted to its fault"
fi
# Self-contained: no tag points at another file (src, href, ...) and the CSS imports nothing. Text, such
# as an error message quoting a URL, may mention one: the page escapes '<' in text and in its JSON.
REFS='<[^>]*[[:space:]](src|href|xlink:href|srcset|poster|action|data)[[:space:]]*='
if grep -qiE "$REFS" "$HTML"; then fail "the report references other files: $(grep -oiE "$REFS[^ >]*" "$HTML" | head -3)"; fi
if sed -n '/<style>/,/<\/style>/p' "$HTML" | grep -qiE 'url\(|@import'; then fail "the report's CSS loads other files"; fi

[ -s "$SHOT" ] || fail "no screenshot"
[ "$(head -c 8 "$SHOT" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ] || fail "$SHOT is not a PNG"
size=$(stat -c %s "$SHOT")
[ "$size" -gt 20000 ] || fail "the screenshot is only $size bytes: a blank page?"
echo "check-report: OK; screenshot $SHOT ($size bytes), DOM $DOM"
