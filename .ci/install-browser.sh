#!/usr/bin/env bash
# Installs Debian's Chromium and its driver for the Swagger UI test (SwaggerUiTest). Idempotent; run as root.
set -euo pipefail
if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y chromium chromium-driver
