#!/usr/bin/env bash
# Fetch the query UI's browser files (YASGUI, npm package @zazuko/yasgui) and copy them to where
# `carekg serve` looks for them: server/static/yasgui/ (or the folder given as the first argument).
# Needs npm. Uses the versions pinned in package-lock.json (`npm ci`); neither node_modules nor the
# copied files are committed. Usage: scripts/install_ui_assets.sh [TARGET_DIR]
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-$repo_root/server/static/yasgui}"
build="$repo_root/node_modules/@zazuko/yasgui/build"

if ! command -v npm >/dev/null 2>&1; then
    echo "install_ui_assets: npm is missing; installing Debian's npm" >&2
    bash "$repo_root/scripts/apt_install.sh" npm
fi

cd "$repo_root"
# --ignore-scripts: nothing here needs an install script, and none may fetch anything else.
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error

for name in yasgui.min.js yasgui.min.css; do
    [[ -f "$build/$name" ]] || { echo "install_ui_assets: $build/$name is missing" >&2; exit 1; }
done

mkdir -p "$target"
cp "$build/yasgui.min.js" "$build/yasgui.min.css" "$target/"
# The source map, so that a browser's developer tools find it here rather than asking elsewhere.
if [[ -f "$build/yasgui.min.js.map" ]]; then
    cp "$build/yasgui.min.js.map" "$target/"
fi
# Its package.json names the version and the licence (MIT).
cp "$repo_root/node_modules/@zazuko/yasgui/package.json" "$target/package.json"
version="$(node -p "require('$target/package.json').version" 2>/dev/null || echo unknown)"
echo "install_ui_assets: YASGUI $version copied to $target"
