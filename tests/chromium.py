"""Debian's chromium for the browser tests: where it is, how it is started, where screenshots go."""

from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Headless, as root, and with none of Chromium's own background connections (refused here anyway).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is absent (scripts/install_browser.sh installs it)"
)
