#!/usr/bin/env bash
# Installs the OpenAPI linter the contract tests run (OpenApiSpecTest), pinned, into target/tools/redocly.
# Idempotent: does nothing when that version is already there. Needs node and npm (the npm registry).
set -euo pipefail
VERSION=2.77.0
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DIR="$ROOT/target/tools/redocly"
BIN="$DIR/node_modules/.bin/redocly"
if [[ -x "$BIN" ]] && [[ "$(REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true "$BIN" --version 2>/dev/null)" == "$VERSION" ]]; then
    exit 0
fi
mkdir -p "$DIR"
[[ -f "$DIR/package.json" ]] || echo '{"private": true}' > "$DIR/package.json"
npm install --prefix "$DIR" --no-audit --no-fund --no-save "@redocly/cli@$VERSION" >&2
"$BIN" --version >&2
