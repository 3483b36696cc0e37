"""The README's set-up commands and example outputs stay true."""

import importlib.util
import re
from types import ModuleType

from conftest import REPO_ROOT

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")


def load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, REPO_ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_example_outputs_are_the_real_outputs() -> None:
    section = re.search(
        r"<!-- example-queries:start -->\n(.*)<!-- example-queries:end -->", README, re.S
    )
    assert section is not None
    assert section.group(1) == load_script("example_queries_markdown").render()


def test_readme_opens_with_the_two_setup_commands_ci_runs() -> None:
    first_block = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines()]
    assert commands == ["make serve", "make test"]
    ci_script = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "\nmake test\n" in ci_script
