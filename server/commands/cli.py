"""The ``carekg`` command: build, validate, export, query and serve the knowledge graph.

Each command's module is imported only when that command runs: ``build`` pulls in pyshacl and the
whole build pipeline (about 0.7 s of imports), which ``serve``'s start-up has no use for.
"""

import importlib

import click

from .. import __version__

COMMANDS = {
    "build": ("carekg.commands.build", "build_command"),
    "validate": ("carekg.commands.validate", "validate_command"),
    "export": ("carekg.commands.export", "export_command"),
    "query": ("carekg.commands.query", "query_command"),
    "serve": ("carekg.commands.serve", "serve_command"),
}


class LazyGroup(click.Group):
    """A group whose commands are ``COMMANDS``, each imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module_name, attribute = COMMANDS[cmd_name]
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="carekg")
def main() -> None:
    """carekg: Scotland's joint inspections of children's services as a linked-data knowledge graph."""
