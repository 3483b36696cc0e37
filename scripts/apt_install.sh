#!/usr/bin/env bash
# Installs Debian packages (as root, or through sudo): scripts/apt_install.sh PACKAGE...
set -euo pipefail
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "$@" >/dev/null
