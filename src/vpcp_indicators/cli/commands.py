"""The ``vpcp-indicators`` command: the group, and the commands it holds."""

from __future__ import annotations

import click

from .. import __version__
from .errors import OneLineErrors
from .evaluating import evaluate, explain
from .options import LOAD_PLUGINS_ENV
from .plans import plugins, schema, validate
from .tools import convert, new_plugin

__all__ = ["LOAD_PLUGINS_ENV", "cli"]


@click.group(cls=OneLineErrors, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="vpcp-indicators")
def cli() -> None:
    """Evaluate an IT application plan: indicators, scores and statuses at given dates."""


for command in (evaluate, explain, validate, convert, plugins, new_plugin, schema):
    cli.add_command(command)
