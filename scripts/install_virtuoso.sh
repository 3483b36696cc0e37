#!/usr/bin/env bash
# Installs Debian's virtuoso-opensource (the server virtuoso-t and its client isql-vt) non-interactively,
# for the tests that run carekg over a real Virtuoso. Idempotent: returns at once when both are installed.
#
# The package asks for the DBA password through debconf; it is pre-seeded here (VIRTUOSO_DBA_PASSWORD, or a
# random one). Where the init system starts no services (policy-rc.d answers 101, as in containers) the
# package's own instance is never started, so that password is never set and nothing is left running; the
# tests start their own `virtuoso-t +foreground` on a database of their own (tests/virtuoso_process.py).
#
# Exits non-zero, saying why, when Virtuoso cannot be installed.
set -euo pipefail

PACKAGE=virtuoso-opensource
BINARIES=(virtuoso-t isql-vt)

installed() {
    local binary
    for binary in "${BINARIES[@]}"; do
        command -v "$binary" >/dev/null 2>&1 || return 1
    done
}

if installed; then
    echo "virtuoso: $(command -v virtuoso-t) and $(command -v isql-vt) already installed"
    exit 0
fi

fail() {
    echo "install_virtuoso.sh: cannot install Virtuoso: $*" >&2
    exit 1
}

command -v apt-get >/dev/null 2>&1 || fail "apt-get not found (this script needs Debian's packages)"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
if [ -n "$SUDO" ] && ! command -v sudo >/dev/null 2>&1; then
    fail "not root and sudo not found"
fi
export DEBIAN_FRONTEND=noninteractive

# Pre-seed the questions the package would otherwise ask (both password fields must match).
password="${VIRTUOSO_DBA_PASSWORD:-$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')}"
$SUDO debconf-set-selections <<EOF || fail "debconf-set-selections failed"
virtuoso-opensource-7 virtuoso-opensource-7/dba-password password $password
virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password $password
EOF

# Other agents or unattended upgrades may hold the dpkg lock: wait for it rather than fail.
APT_OPTIONS=(-y -qq --no-install-recommends -o DPkg::Lock::Timeout=300)

# Try with the package lists already on the machine; when they do not know the package (a fresh machine
# has none) or are stale (a 404 for an old version), update them and try once more.
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
if ! $SUDO apt-get install "${APT_OPTIONS[@]}" "$PACKAGE" >"$log" 2>&1; then
    echo "virtuoso: first install attempt failed; running apt-get update and retrying" >&2
    $SUDO apt-get update -qq -o DPkg::Lock::Timeout=300 >>"$log" 2>&1 \
        || { cat "$log" >&2; fail "apt-get update failed"; }
    $SUDO apt-get install "${APT_OPTIONS[@]}" "$PACKAGE" >>"$log" 2>&1 \
        || { cat "$log" >&2; fail "apt-get install $PACKAGE failed"; }
fi

installed || { cat "$log" >&2; fail "$PACKAGE installed but ${BINARIES[*]} not on PATH"; }
echo "virtuoso: installed $(dpkg-query -W -f='${Version}' virtuoso-opensource-7 2>/dev/null)" \
    "($(command -v virtuoso-t), $(command -v isql-vt))"
