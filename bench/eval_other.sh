#!/usr/bin/env bash
# Relation and actor scores on texts of other kinds (bench/other/: regulators' and prosecutors' releases, sanctions
# notices, party-finance fines, statements and a speech, 2010-2024; sources in bench/other/SOURCES.md), rules only
# and with the shipped relation model. Run from the repo root:
#   bash bench/eval_other.sh [--show-errors]     (PYTHON=... picks the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-$(command -v python || command -v python3)}"
root=bench/other
gold=$root/gold.jsonl
score="${SCORER:-../shared/eval/score.py}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mapfile -t docs < <("$python" -c 'import json, sys; [print(json.loads(l)["doc"]) for l in open(sys.argv[1]) if l.strip()]' "$gold")
echo "== rules only"
"$python" -m actorgraph extract "${docs[@]/#/$root/}" --relation-model none -o "$tmp/rules.jsonl"
"$python" "$score" "$gold" "$tmp/rules.jsonl" --root "$root" "$@"
echo "== rules + --relation-model default"
"$python" -m actorgraph extract "${docs[@]/#/$root/}" --relation-model default -o "$tmp/model.jsonl"
"$python" "$score" "$gold" "$tmp/model.jsonl" --root "$root" "$@"
