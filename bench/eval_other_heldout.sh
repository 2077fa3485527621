#!/usr/bin/env bash
# Relation and actor scores on the held-out texts of other kinds (bench/other_heldout/: releases, a ban, sanctions,
# a statement, a lobbying finding and a referendum-finance fine, 2015-2024; nobody tunes on them), rules only and
# with the shipped relation model. Run from the repo root:
#   bash bench/eval_other_heldout.sh [SCORER-OPTIONS]     (PYTHON=... picks the interpreter, SCORER=... the scorer)
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-$(command -v python || command -v python3)}"
root=bench/other_heldout
gold=$root/gold.jsonl
score="${SCORER:-../shared/eval/score.py}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mapfile -t docs < <("$python" -c 'import json, sys; [print(json.loads(l)["doc"]) for l in open(sys.argv[1]) if l.strip()]' "$gold")
for model in none default; do
    echo "== --relation-model $model"
    "$python" -m actorgraph extract "${docs[@]/#/$root/}" --relation-model "$model" --quiet -o "$tmp/$model.jsonl"
    "$python" "$score" "$gold" "$tmp/$model.jsonl" --root "$root" "$@"
done
