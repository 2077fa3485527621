#!/usr/bin/env bash
# Relation and actor scores on texts of other kinds, rules only and with the shipped relation model:
# `actorgraph extract` over the texts a set's gold.jsonl names, then the scorer's table for each.
# The set is bench/other/ (regulators' and prosecutors' releases, sanctions notices, party-finance fines,
# statements and a speech, 2010-2024; sources in bench/other/SOURCES.md) unless SET names another folder laid out
# the same way (bench/eval_other_heldout.sh runs bench/other_heldout/). Run from the repo root:
#   bash bench/eval_other.sh [SCORER-OPTIONS]     (PYTHON=... picks the interpreter, SCORER=... the scorer)
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-$(command -v python || command -v python3)}"
root="${SET:-bench/other}"
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
