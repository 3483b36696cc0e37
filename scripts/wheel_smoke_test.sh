#!/usr/bin/env bash
# Builds the wheel, installs it into a fresh virtual environment and runs carekg from another directory:
# catches a module or data file that an editable install would hide.
set -euo pipefail
python_bin=${1:-python3}  # builds the wheel (has the build package)
base_python=${2:-python3}  # makes the fresh virtual environment
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$python_bin" -m build --wheel --outdir "$work/dist" "$repo" >"$work/build.log" 2>&1 || { cat "$work/build.log"; exit 1; }
"$base_python" -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$work"/dist/carekg-*.whl
cd "$work"
"$work/venv/bin/carekg" --version
"$work/venv/bin/carekg" validate
"$work/venv/bin/carekg" query 'ASK { ?s a <https://w3id.org/carekg/def/JointInspection> }' --format json | grep -q '"boolean": *true'
"$work/venv/bin/carekg" export --format nq | grep -q 'south-lanarkshire-2014'
"$work/venv/bin/carekg" export --format nq | grep -q '<https://w3id.org/carekg/graph/shared>'
"$work/venv/bin/python" -c 'from importlib import resources; assert resources.files("carekg.ontology").joinpath("reused/vocabularies.ttl").is_file()'
if "$work/venv/bin/python" -c 'import importlib.util,sys; sys.exit(0 if importlib.util.find_spec("server") is None else 1)'; then
    echo "wheel smoke test: carekg installed from the wheel validates, queries and exports from $work"
else
    echo "wheel smoke test: the wheel leaks a top-level 'server' package" >&2
    exit 1
fi
