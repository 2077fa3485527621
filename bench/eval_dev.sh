#!/usr/bin/env bash
# Relation and actor scores on the dev set: `actorgraph extract` over ../shared/eval/dev/*.txt, then the scorer's
# table. Run from the repo root: bash bench/eval_dev.sh [--show-errors]   (PYTHON=... picks the interpreter)
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-$(command -v python || command -v python3)}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
"$python" -m actorgraph extract ../shared/eval/dev/*.txt -o "$tmp/pred.jsonl"
"$python" ../shared/eval/score.py ../shared/eval/dev/gold.jsonl "$tmp/pred.jsonl" "$@"
