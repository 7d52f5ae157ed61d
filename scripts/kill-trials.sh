#!/bin/sh
# Kill -9 trials (see Tests/EndToEndTests/KillTrialsTests.swift): starts `supportsim play` with
# piped input, kills it with SIGKILL at random moments, checks that every turn whose output was
# seen is stored, then resumes the attempt and checks it continues from the same state.
#
#   scripts/kill-trials.sh [TRIALS] [SEED]     (default: 100 trials, a random seed)
set -eu
cd "$(dirname "$0")/.."
export SUPPORTSIM_KILL_TRIALS="${1:-100}"
if [ $# -ge 2 ]; then export SUPPORTSIM_KILL_SEED="$2"; fi
swift build --build-tests
swift test --skip-build --filter KillTrialsTests
