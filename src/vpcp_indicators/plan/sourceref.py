"""Where a source's records live, as a plan names them: a file, a sheet of a workbook, or a
table or query of a database, with the names its columns go by there."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs

from ..i18n import N_

__all__ = ["PASSWORD_IN_URL", "SourceRef", "has_password", "redacted"]

#: Why a plan's URL is refused: no secret lives in a plan.
PASSWORD_IN_URL = N_(
    "a url must not hold a password: give it through the environment (PGPASSWORD), "
    "~/.pgpass or a service file"
)

# The password of a URL's user (user:password@), or a password=... parameter of its query.
_USER_PASSWORD = re.compile(r"(?<=://)([^/@?#]*?):([^/@?#]*)@")
_PASSWORD_PARAMETER = re.compile(r"(?i)(?<=[?&])(password=)[^&#]*")


def has_password(url: str) -> bool:
    """Whether a URL holds a password: ``user:secret@host``, or ``?password=secret``."""
    try:
        parts = urlsplit(url)
        if parts.password is not None:
            return True
    except ValueError:  # a port that is not a number, say: looked at by pattern alone
        pass
    if _USER_PASSWORD.search(url):
        return True
    query = url.split("?", 1)[1] if "?" in url else ""
    return any(key.lower() == "password" for key, _ in parse_qsl(query, keep_blank_values=True))


def redacted(url: str) -> str:
    """A URL with any password it holds replaced by ``***``: how messages may name it."""
    url = _USER_PASSWORD.sub(lambda m: f"{m.group(1)}:***@", url)
    return _PASSWORD_PARAMETER.sub(r"\g<1>***", url)


def _pairs(value: Mapping[str, str] | Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple(sorted((str(k), str(v)) for k, v in items))


@attrs.frozen
class SourceRef:
    """A source of records as a plan gives it.

    A file has a ``path`` (absolute, resolved against the plan's folder); a database has a
    ``url`` whose ``scheme`` chooses its reader (``sqlite`` keeps its file in ``path`` too).
    ``sheet`` names a workbook's sheet; ``table`` or ``query`` what a database reads.
    ``columns`` maps the kind's column names to the source's; ``timeout`` is how many
    seconds a database may take to answer (None: the reader's default). ``written`` is the
    plan's own value (a string, or the table), for messages and the JSON output. Two equal
    references are one source, read once.
    """

    path: Path | None = None
    url: str | None = None
    scheme: str | None = None
    sheet: str | None = None
    table: str | None = None
    query: str | None = None
    #: Seconds a database may take over a step of its work; None: the reader's default.
    timeout: float | None = None
    columns: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_pairs)
    written: Any = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def file(cls, path: Path, written: str | None = None) -> SourceRef:
        """A file, as a plan writes it: ``documents = "data/documents.csv"``."""
        return cls(path=path, written=written if written is not None else str(path))

    @classmethod
    def written_as(cls, spec: str | Mapping[str, Any], base: Path) -> SourceRef:
        """A source from what a plan writes (a file name, or a table of ``path`` or ``url``,
        ``sheet``, ``table``, ``query``, ``columns``), its file resolved against ``base``:
        a ``sqlite:PATH`` URL's file too."""
        if isinstance(spec, str):
            return cls.file(base / spec, spec)
        path = base / spec["path"] if spec.get("path") else None
        url = spec.get("url")
        scheme = None
        if url is not None:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "sqlite":
                path = base / url.split(":", 1)[1]
        return cls(
            path=path,
            url=url,
            scheme=scheme,
            sheet=spec.get("sheet"),
            table=spec.get("table"),
            query=spec.get("query"),
            timeout=spec.get("timeout"),
            columns=spec.get("columns", {}),
            written=dict(spec),
        )

    @property
    def target(self) -> Path | str:
        """What the reader is given: the file, or the URL."""
        if self.path is not None:
            return self.path
        assert self.url is not None
        return self.url

    @property
    def options(self) -> dict[str, Any]:
        """What the plan says besides the file or URL, for the reader: ``sheet``, ``table``,
        ``query`` (strings), ``timeout`` (seconds, a number)."""
        found: dict[str, Any] = {"sheet": self.sheet, "table": self.table, "query": self.query}
        found["timeout"] = self.timeout
        return {key: value for key, value in found.items() if value is not None}

    @property
    def name(self) -> str:
        """How messages and warnings name the source: the file or URL as the plan wrote it,
        with the sheet or table it reads."""
        written = self.written
        base = written if isinstance(written, str) else str(self.url or self.path)
        if isinstance(written, Mapping):
            base = str(written.get("path") or written.get("url") or base)
        if self.url is not None:
            base = redacted(base)  # a plan refuses one; a Plan made in code is named safely
        inside = self.sheet or self.table
        return f"{base} [{inside}]" if inside else base

    @property
    def where(self) -> Path | str:
        """How errors name the source: a plain file by its path, as the file system knows
        it; anything else as :attr:`name` does."""
        return self.path if self.is_plain_file and self.path is not None else self.name

    @property
    def is_plain_file(self) -> bool:
        """A file read as it is: no sheet, no database, and its columns named as the kind
        names them."""
        return self.url is None and not self.options and not self.columns

    def source_column(self, column: str) -> str:
        """The name the source gives a column of the kind."""
        return dict(self.columns).get(column, column)

    def kind_column(self, column: str) -> str:
        """The name the kind gives a column of the source."""
        back = {source: kind for kind, source in self.columns}
        return back.get(column, column)
