"""Checking the sources an indicator gives against those its kind declares: each is given if
needed, is a file that can be read, and has every column the kind reads."""

from __future__ import annotations

import inspect
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path

from ..errors import Message, SourceError, message
from ..filekinds import file_problem
from ..i18n import N_
from ..kinds.kind import Kind, Source
from ..plan.locations import Path as KeyPath
from ..plan.model import Indicator
from ..plan.sourceref import SourceRef
from ..plugins.registry import Registry
from ..sources import SourceReader, read_columns

__all__ = ["Found", "reader_for", "source_problems"]

#: A problem of an indicator: the key it is at, within the indicator's table, and what it is.
Found = tuple[KeyPath, Message]


def reader_for(registry: Registry, ref: SourceRef | Path) -> SourceReader:
    """The reader of a source: for a database, the one registered for its URL's scheme; for
    a file, the one for its name's ending (SourceError if there is none)."""
    if isinstance(ref, SourceRef) and ref.scheme is not None:
        if ref.scheme in registry.readers:
            return registry.readers[ref.scheme]
        # A database's readers are listed by scheme, a file's by ending ("." first).
        schemes = [k for k in registry.readers if not k.startswith(".")]
        known = ", ".join(sorted(schemes)) or "none"
        raise SourceError.at(
            ref.where, "no reader for this kind of database (readers: {known})", known=known
        )
    path = ref.path if isinstance(ref, SourceRef) else ref
    assert path is not None
    name = path.name.lower()
    # A key without a dot is a URL's scheme: `hr.sqlite` is a file, not an `sqlite:` URL.
    endings = [key for key in registry.readers if key.startswith(".")]
    for extension in sorted(endings, key=len, reverse=True):
        if name.endswith(extension):
            return registry.readers[extension]
    known = ", ".join(sorted(endings)) or "none"
    raise SourceError.at(path, "no reader for this kind of file (readers: {known})", known=known)


def source_problems(
    registry: Registry,
    kind: Kind,
    indicator: Indicator,
    columns: dict[SourceRef, list[str] | SourceError],
    unread: Collection[str],
) -> Iterator[Found]:
    """Sources the kind does not have, sources it needs that are not given, and, for each
    source given that may be read, what is wrong with its file or its columns.

    ``columns`` holds what each file's columns were found to be, so that a file is looked at
    once for all indicators; the sources in ``unread`` are not looked at."""
    needed = ", ".join(s.name for s in kind.sources)
    for name in indicator.sources:
        if name not in {s.name for s in kind.sources}:
            yield (
                ("sources", name),
                message(
                    "kind '{kind}' has no source '{name}' (sources: {sources})",
                    kind=kind.name,
                    name=name,
                    sources=needed,
                ),
            )
    for source in kind.sources:
        if source.name in indicator.sources and source.name not in unread:
            ref = indicator.sources[source.name]
            yield from _file_problems(registry, kind, source, ref, columns)
        elif source.name not in indicator.sources and source.required:
            yield (
                ("sources",),
                message(
                    "missing source '{name}' (kind '{kind}' needs: {sources})",
                    name=source.name,
                    kind=kind.name,
                    sources=needed,
                ),
            )


def _file_problems(
    registry: Registry,
    kind: Kind,
    source: Source,
    ref: SourceRef,
    columns: dict[SourceRef, list[str] | SourceError],
) -> Iterator[Found]:
    """What is wrong with a source: a file that is not one to read, unreadable columns, or
    columns the kind reads that it lacks."""
    key: KeyPath = ("sources", source.name)
    what = None if ref.path is None or ref.url is not None else file_problem(ref.path)
    if what is not None:
        yield key, message("{path}: {what}", path=ref.path, what=what)
        return
    if ref not in columns:
        columns[ref] = _columns(registry, ref)
    have = columns[ref]
    if isinstance(have, SourceError):
        for found in have.problems:
            yield key, message("{where}{text}", where=found.location(), text=found.text)
        return
    missing = [ref.source_column(c.name) for c in source.columns if c.name not in have]
    if missing:
        yield key, _lacking(ref, missing, kind)


def _columns(registry: Registry, ref: SourceRef) -> list[str] | SourceError:
    """The columns of a source, as its reader finds them and the kind names them, or why it
    cannot tell."""
    try:
        reader = reader_for(registry, ref)
        refused = _refused_options(reader, ref)
        if refused:
            raise SourceError.at(
                ref.where,
                "the {reader} reader takes no {options}",
                reader=reader.name,
                options=", ".join(f"'{o}'" for o in refused),
            )
        return read_columns(reader, ref)
    except SourceError as error:
        return error


def _refused_options(reader: SourceReader, ref: SourceRef) -> list[str]:
    """What the plan gives a source that its reader does not take: a reader says what it
    takes by the keyword arguments of its ``columns`` (``**options`` takes all)."""
    try:
        taken = inspect.signature(reader.columns).parameters.values()
    except (TypeError, ValueError):  # a reader whose signature cannot be read takes its risk
        return []
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in taken):
        return []
    names = {p.name for p in taken}
    return [option for option in ref.options if option not in names]


def _lacking(ref: SourceRef, missing: Sequence[str], kind: Kind) -> Message:
    """A source lacks columns the kind reads: named, and not the header found, since a file's
    first line is its content (the header of a secret export, or a line of any file). A
    database's columns are on no line."""
    one = len(missing) == 1
    if ref.url is not None:
        template = (
            N_("{path}: lacks column {names} that kind '{kind}' needs")
            if one
            else N_("{path}: lacks columns {names} that kind '{kind}' needs")
        )
    else:
        template = (
            N_("{path}:1: lacks column {names} that kind '{kind}' needs")
            if one
            else N_("{path}:1: lacks columns {names} that kind '{kind}' needs")
        )
    names = ", ".join(f"'{m}'" for m in missing)
    return message(template, path=ref.where, names=names, kind=kind.name)
