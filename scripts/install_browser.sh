#!/usr/bin/env bash
# Installs Debian's chromium for the browser tests when it is missing.
set -euo pipefail
if [ ! -x /usr/bin/chromium ]; then
    bash "$(dirname "$0")/apt_install.sh" chromium
fi
/usr/bin/chromium --version 2>/dev/null
