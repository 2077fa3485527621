#!/usr/bin/env bash
# Relation and actor scores on the held-out set (bench/heldout/gold.jsonl: 8 BBC articles the extractor was not
# tuned on): `actorgraph extract` over the articles the gold names, then the scorer's table.
# Run from the repo root: bash bench/eval_heldout.sh [--show-errors]   (PYTHON=... picks the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-$(command -v python || command -v python3)}"
root=../shared/corpus/bbc
gold=bench/heldout/gold.jsonl
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mapfile -t docs < <("$python" -c 'import json, sys; [print(json.loads(l)["doc"]) for l in open(sys.argv[1]) if l.strip()]' "$gold")
"$python" -m actorgraph extract "${docs[@]/#/$root/}" -o "$tmp/pred.jsonl"
"$python" ../shared/eval/score.py "$gold" "$tmp/pred.jsonl" --root "$root" "$@"
