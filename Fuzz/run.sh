#!/usr/bin/env bash
# Fuzzes the scenario parser and the golden-transcript reader for a bounded time.
#   Fuzz/run.sh [seconds]     (default 60; FUZZ_SECONDS works too)
# Seeds: Fuzz/corpus, Scenarios and the test fixtures. New inputs go to a scratch folder, not the
# repository. A crash, a broken parser promise, an input slower than 20 s or a memory blow-up
# fails the run; the input is saved as .build-fuzz/artifacts/crash-* (keep it as a fixture in
# Tests/SupportSimCoreTests/Fixtures/fuzz/ and fix the cause).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-${FUZZ_SECONDS:-60}}
OUT=${FUZZ_BUILD_DIR:-.build-fuzz}
Fuzz/build.sh
mkdir -p "$OUT/artifacts"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
"$OUT/fuzz-scenario" -max_total_time="$SECONDS_TO_RUN" -timeout=20 -rss_limit_mb=4096 -max_len=16384 \
  -print_final_stats=1 -dict=Fuzz/scenario.dict -artifact_prefix="$OUT/artifacts/" \
  "$WORK" Fuzz/corpus Scenarios Tests/SupportSimCoreTests/Fixtures
