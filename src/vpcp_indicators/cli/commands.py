"""The ``vpcp-indicators`` command: the group, and the commands it holds.

A command's module is imported only when the command runs (or ``--help`` lists it), so that
``vpcp-indicators --version`` starts in a few tens of milliseconds.
"""

from __future__ import annotations

import importlib
from typing import Any, cast

import click

from .. import __version__
from .errors import OneLineErrors

__all__ = ["COMMANDS", "LOAD_PLUGINS_ENV", "cli"]

#: Each command, and where it is defined (module of this package, and name).
COMMANDS = {
    "evaluate": ("evaluating", "evaluate"),
    "explain": ("evaluating", "explain"),
    "sensitivity": ("evaluating", "sensitivity"),
    "validate": ("plans", "validate"),
    "verify": ("verifying", "verify"),
    "convert": ("tools", "convert"),
    "plugins": ("plans", "plugins"),
    "new-plugin": ("tools", "new_plugin"),
    "schema": ("plans", "schema"),
}

#: Names of entry-point plugins to load, comma-separated; unset loads them all. For tests
#: and debugging: pins the plugin set, as datasette's DATASETTE_LOAD_PLUGINS does.
LOAD_PLUGINS_ENV = "VPCP_INDICATORS_LOAD_PLUGINS"


class Commands(OneLineErrors):
    """The group, whose commands are imported when first asked for."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # What click suggests a mistyped command from (its keys are all it reads there);
        # the commands themselves come from get_command.
        self.commands = cast("dict[str, click.Command]", dict.fromkeys(COMMANDS))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module, name = COMMANDS[cmd_name]
        command: Any = getattr(importlib.import_module(f".{module}", __package__), name)
        return command  # type: ignore[no-any-return]


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vpcp-indicators")
def cli() -> None:
    """Evaluate an IT application plan: indicators, scores and statuses at given dates."""
