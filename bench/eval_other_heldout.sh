#!/usr/bin/env bash
# Relation and actor scores on the held-out texts of other kinds (bench/other_heldout/: releases, a ban, sanctions,
# a statement, a lobbying finding and a referendum-finance fine, 2015-2024; nobody tunes on them), rules only and
# with the shipped relation model: bench/eval_other.sh on that set. Run from the repo root:
#   bash bench/eval_other_heldout.sh [SCORER-OPTIONS]     (PYTHON=... picks the interpreter, SCORER=... the scorer)
set -euo pipefail
cd "$(dirname "$0")/.."
SET=bench/other_heldout exec bash bench/eval_other.sh "$@"
