#!/usr/bin/env bash
# Installs curl and jq, which docs/protocols.md's transcripts use (ProtocolTranscriptsTest replays them). Idempotent.
set -euo pipefail
if command -v curl >/dev/null && command -v jq >/dev/null; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y curl jq
