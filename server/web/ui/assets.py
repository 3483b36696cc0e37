"""Where YASGUI's browser files are, and whether they are there.

They come from npm (``@zazuko/yasgui``) through the set-up script, never from a wheel build, so a plain
``pip install`` has none: the UI then falls back to a plain HTML form.
"""

from importlib import resources
from pathlib import Path

from ...config import Config

REQUIRED_FILES = ("yasgui.min.js", "yasgui.min.css")
INSTALL_SCRIPT = "scripts/install_ui_assets.sh"
ASSETS_ENV_VAR = "CAREKG_UI_ASSETS"


def default_assets_dir() -> Path:
    """``carekg/static/yasgui`` inside the installed package (server/static/yasgui in a checkout)."""
    return Path(str(resources.files("carekg").joinpath("static", "yasgui")))


def assets_dir(config: Config) -> Path:
    return config.ui_assets if config.ui_assets is not None else default_assets_dir()


def assets_present(folder: Path) -> bool:
    return all((folder / name).is_file() for name in REQUIRED_FILES)
