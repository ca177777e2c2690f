"""The commands that make files for users: convert and new-plugin."""

from __future__ import annotations

import click

from ..errors import message
from ..i18n import DEFAULT_LANGUAGE, language
from .errors import handles_errors
from .options import (
    engine,
    lang_option,
)
from .usage import Refused

__all__ = ["convert", "new_plugin"]


@click.command()
@click.argument("source", type=click.Path(dir_okay=False, exists=True))
@click.argument("target", type=click.Path(dir_okay=False))
@lang_option
@handles_errors
def convert(source: str, target: str, lang: str | None) -> None:
    """Convert a CSV SOURCE to the Parquet file TARGET, every value kept as written."""
    from ..convert import csv_to_parquet

    if not target.endswith(".parquet"):
        raise Refused(message("the target must end in .parquet"), param_hint="TARGET")
    count = csv_to_parquet(source, target)
    words = language(lang or DEFAULT_LANGUAGE)
    click.echo(
        words.ngettext("{file}: {count} record", "{file}: {count} records", count, file=target),
        err=True,
    )


@click.command("new-plugin")
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    default=".",
    show_default=True,
    type=click.Path(file_okay=False),
    help="Write the package's folder into this directory.",
)
@click.option("--kind", help="The name of its kind. Default: from NAME, without 'vpcp-'.")
@lang_option
@handles_errors
def new_plugin(name: str, directory: str, kind: str | None, lang: str | None) -> None:
    """Write NAME/, an installable plugin package with one indicator kind, its tests and an
    example plan: install it with pip install -e './NAME[test]' and run pytest in it."""
    from ..scaffold import new_plugin as write_plugin

    # A kind already installed would clash with the new one once it is installed too.
    taken = engine(()).registry.kinds
    folder = write_plugin(name, directory, kind, taken)
    words = language(lang or DEFAULT_LANGUAGE)
    click.echo(words.gettext("wrote {path}", path=folder), err=True)
