#!/bin/sh
# Re-trains the sentence-level tone model (docs/scoring.md, "The tone model") and writes its weights.
# Deterministic; embeddings are cached on disk, so a re-run after adding support replies is quick.
# Uses Data/politeness/support.dev.tsv when it exists (never support.heldout.tsv).
set -e
cd "$(dirname "$0")/.."
SHARED="${SUPPORTSIM_SHARED_DATA:-../shared/data}"
exec swift run -c release supportsim-eval train-tone \
  --wikipedia "$SHARED/politeness-en/wikipedia.annotated.csv" \
  --paradetox "$SHARED/rudeness-ru/ru_paradetox_train.tsv" \
  --support Data/politeness/support.dev.tsv \
  --out Sources/SupportSimLexicons/Models/tone.json "$@"
