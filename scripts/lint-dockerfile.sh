#!/usr/bin/env bash
# Lints the Dockerfile with dockerfile-utils (the linter behind VS Code's Dockerfile support), from npm.
# Exit status is non-zero on any error or warning. The linter is installed into target/, not committed.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VERSION=0.16.3
TOOL_DIR=$ROOT/target/dockerfile-lint
BIN=$TOOL_DIR/node_modules/.bin/dockerfile-utils

if [[ ! -x $BIN ]]; then
    mkdir -p "$TOOL_DIR"
    npm install --prefix "$TOOL_DIR" --no-audit --no-fund --silent "dockerfile-utils@$VERSION" >/dev/null
fi

cd "$ROOT"
out=$("$BIN" lint Dockerfile 2>&1) || true
if [[ -n $out ]]; then
    echo "$out"
    echo "Dockerfile lint: problems found (dockerfile-utils $VERSION)" >&2
    exit 1
fi
echo "Dockerfile lint: clean (dockerfile-utils $VERSION)"
