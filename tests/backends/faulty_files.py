"""Hypothesis strategies for source files with the faults real files have, written as bytes.

CSV: line ends LF, CRLF, CR or mixed; a byte-order mark; cells quoted when needed, always or
never; rows with a trailing delimiter, a field too few or too many, a blank or whitespace line
before them, bytes that are not UTF-8, a stray CR, spaces beside quotes, an unterminated
quote, a NUL byte, a field longer than the contract allows; headers that repeat a column in
other case. JSON Lines: lines of only a tab, byte-order marks on later lines, keys given twice,
unpaired surrogate escapes, NaN, numbers too large for a double, CR inside a line, CRLF line
ends, nested values, deep nesting, bytes that are not UTF-8, values that are not objects, and
files in UTF-16. SQLite: columns declared TEXT, with no type or with a numeric affinity; no
value as NULL or as ''; values stored as INTEGER, REAL, a BLOB, TEXT that is not UTF-8; rows
deleted (gaps in the rowids); a table read through a query. Workbooks (written with
openpyxl): date, date-and-time, number, boolean and formula cells, empty strings, blank
rows, notes beside the table, sheets that start lower or further right, other sheets, a
named sheet or one that is not there, columns missing, named twice or not named.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

#: Values any column may get besides its own: the ones that trip readers up.
HOSTILE = st.sampled_from(
    ["", " x", "x ", '"q"', "a,b", "a\nb", "a\r\nb", 'tỉnh, "thành"', 'x"y', "\t", "é", ' "s" ']
)

CSV_FAULTS = [
    "trailing_delimiter",
    "two_trailing_delimiters",
    "short",
    "long",
    "blank_before",
    "spaces_before",
    "not_utf8",
    "stray_cr",
    "space_beside_quote",
    "unterminated_quote",
    "nul",
    "long_field",
    "quote_in_middle",
]

JSON_FAULTS = [
    "tab_line",
    "bom",
    "duplicate_key",
    "surrogate",
    "nan",
    "too_large",
    "cr_inside",
    "cr_in_string",
    "nested",
    "deep",
    "not_utf8",
    "not_object",
    "blank_before",
    "number",
    "not_json",
]


def _cell(value: str, quoting: str) -> bytes:
    """A CSV cell: quoted as a spreadsheet would (``auto``), always, or never."""
    needs = any(c in value for c in ',"\r\n')
    if quoting == "always" or (quoting == "auto" and needs):
        return b'"' + value.replace('"', '""').encode() + b'"'
    return value.encode()


@st.composite
def csv_file(draw: st.DrawFn, header: list[str], rows: list[dict[str, str]]) -> bytes:
    """A CSV file of these rows, with faults drawn."""
    ending = draw(st.sampled_from([b"\n", b"\n", b"\r\n", b"\r\n", b"\r", b"mixed"]))
    quoting = draw(st.sampled_from(["auto", "auto", "always", "never"]))
    columns = list(header)
    extra = None
    if draw(st.integers(0, 5)) == 0:
        # A column that differs from a needed one only in case: both are columns.
        extra = draw(st.sampled_from(header)).upper()
        columns.insert(draw(st.integers(0, len(columns))), extra)
    head_end = b"," if draw(st.integers(0, 9)) == 0 else b""

    def eol(i: int) -> bytes:
        if ending == b"mixed":
            return [b"\n", b"\r\n", b"\r"][i % 3]
        return ending

    out = b"\xef\xbb\xbf" if draw(st.integers(0, 4)) == 0 else b""
    out += b",".join(_cell(c, quoting if quoting != "never" else "auto") for c in columns)
    out += head_end + eol(0)
    faults = draw(st.lists(st.sampled_from(CSV_FAULTS), max_size=3))
    broken = {draw(st.integers(0, max(len(rows) - 1, 0))): f for f in faults}
    for i, row in enumerate(rows, start=1):
        values = [row.get(c, "extra" if c == extra else "") for c in columns]
        if head_end:
            values.append("")
        fault = broken.get(i - 1)
        cells = [_cell(v, quoting) for v in values]
        if fault == "blank_before":
            out += eol(i)
        elif fault == "spaces_before":
            out += b"  " + eol(i)
        elif fault == "trailing_delimiter":
            cells.append(b"")
        elif fault == "two_trailing_delimiters":
            cells += [b"", b""]
        elif fault == "short" and cells:
            cells.pop()
        elif fault == "long":
            cells.append(b"more")
        elif fault == "not_utf8":
            cells[-1] += b"\xff\xfe"
        elif fault == "stray_cr":
            cells[0] = b"x\ry" + cells[0]
        elif fault == "space_beside_quote":
            cells[0] = b' "' + cells[0].strip(b'"') + b'" '
        elif fault == "unterminated_quote":
            cells[-1] = b'"' + cells[-1]
        elif fault == "nul":
            cells[0] += b"\x00"
        elif fault == "long_field":
            cells[-1] = b"L" * draw(st.sampled_from([70_000, 131_072, 131_073, 140_000]))
        elif fault == "quote_in_middle":
            cells[0] += b'a"b'
        out += b",".join(cells) + eol(i)
    if rows and draw(st.booleans()):
        out = out.removesuffix(eol(len(rows)))  # no line end after the last row
    return out


@st.composite
def jsonl_file(draw: st.DrawFn, rows: list[dict[str, str]]) -> bytes:
    """A JSON Lines file of these rows, with faults drawn."""
    if draw(st.integers(0, 30)) == 0:
        text = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        return text.encode("utf-16")
    ending = draw(st.sampled_from([b"\n", b"\n", b"\r\n"]))
    faults = draw(st.lists(st.sampled_from(JSON_FAULTS), max_size=3))
    broken = {draw(st.integers(0, max(len(rows) - 1, 0))): f for f in faults}
    out = b"\xef\xbb\xbf" if draw(st.integers(0, 4)) == 0 else b""
    for i, row in enumerate(rows):
        # A missing key is no value, like null and "".
        record: dict[str, object] = {
            k: (None if v == "" and i % 4 == 1 else v)
            for k, v in row.items()
            if not (v == "" and i % 4 == 2)
        }
        key = next(iter(row), "k")
        fault = broken.get(i)
        if fault == "nested":
            record[key] = [1]
        elif fault == "number":
            record[key] = 1.5
        line = json.dumps(record, ensure_ascii=draw(st.booleans())).encode()
        if fault == "tab_line":
            out += b"\t" + ending
        elif fault == "blank_before":
            out += b"  \r" + ending
        elif fault == "bom":
            line = b"\xef\xbb\xbf" + line
        elif fault == "duplicate_key":
            line = line[:-1] + b", " + json.dumps({key: "other"}).encode()[1:]
        elif fault == "surrogate":
            line = line[:-1] + b', "' + key.encode() + b'": "\\ud800"}'
        elif fault == "nan":
            line = line[:-1] + b', "n": NaN}'
        elif fault == "too_large":
            line = line[:-1] + b', "n": 1e999}'
        elif fault == "cr_inside":
            line = line.replace(b", ", b",\r ", 1)
        elif fault == "cr_in_string":
            line = line[:-1] + b', "n": "a\rb"}'
        elif fault == "deep":
            depth = draw(st.sampled_from([100, 512, 513, 2000]))
            line = line[:-1] + b', "n": ' + b"[" * depth + b"]" * depth + b"}"
        elif fault == "not_utf8":
            line = line[:-2] + b'\xff"}'
        elif fault == "not_object":
            line = b"[1, 2]"
        elif fault == "not_json":
            line = b"{not json"
        out += line + ending
    return out


SQLITE_FAULTS = ["integer", "real", "whole_real", "blob", "not_utf8", "deleted", "empty_text"]


@st.composite
def sqlite_table(
    draw: st.DrawFn, path: Path, name: str, header: list[str], rows: list[dict[str, str]]
) -> dict[str, Any]:
    """A table of these rows in a new SQLite database at ``path``, with faults drawn; the
    plan's source for it (its table, or a query of it)."""
    types = {c: draw(st.sampled_from(["TEXT", "TEXT", "", "NUMERIC"])) for c in header}
    columns = ", ".join(f'"{c}" {types[c]}' for c in header)
    connection = sqlite3.connect(path)
    connection.execute(f'CREATE TABLE "{name}" ({columns})')
    faults = draw(st.lists(st.sampled_from(SQLITE_FAULTS), max_size=3))
    broken = {draw(st.integers(0, max(len(rows) - 1, 0))): f for f in faults}
    marks = ", ".join("?" for _ in header)
    for i, row in enumerate(rows):
        values: list[object] = [row[c] if row[c] != "" else None for c in header]
        fault = broken.get(i)
        column = draw(st.integers(0, len(header) - 1))
        if fault == "integer":
            values[column] = draw(st.sampled_from([12, -3, 0, 20120101]))
        elif fault == "real":
            values[column] = draw(st.sampled_from([0.75, 1e16, -2.5, 1e-7]))
        elif fault == "whole_real":
            values[column] = 3.0
        elif fault == "blob":
            values[column] = b"\x00\xff"
        elif fault == "empty_text":
            values[column] = ""
        mark = "CAST(? AS TEXT)" if fault == "not_utf8" else "?"
        if fault == "not_utf8":
            values[column] = b"x\xff"
        row_marks = ", ".join(mark if k == column else "?" for k in range(len(header)))
        connection.execute(f'INSERT INTO "{name}" VALUES ({row_marks if fault else marks})', values)
        if fault == "deleted":
            connection.execute(f'INSERT INTO "{name}" VALUES ({marks})', values)
            connection.execute(f'DELETE FROM "{name}" WHERE rowid = last_insert_rowid()')
    connection.commit()
    connection.close()
    url = f"sqlite:{path.name}"
    if draw(st.integers(0, 3)) == 0:
        return {"url": url, "query": f'SELECT * FROM "{name}" ORDER BY rowid DESC'}
    return {"url": url, "table": name}


XLSX_FAULTS = [
    "date_cell",
    "midnight_cell",
    "datetime_cell",
    "number_cell",
    "bool_cell",
    "formula",
    "blank_row",
    "note_outside",
    "empty_string",
]


def _date_of(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


@st.composite
def xlsx_file(
    draw: st.DrawFn, header: list[str], rows: list[dict[str, str]]
) -> tuple[bytes, str | None]:
    """A workbook of these rows, with faults drawn, and the sheet a plan should name (None:
    the first). Dates are written as date cells or as text; some sheets start lower or
    further right, have other sheets before or after them, lack a column, name one twice
    or leave a header cell empty."""
    import openpyxl

    book = openpyxl.Workbook()
    data = book.active
    data.title = draw(st.sampled_from(["Sheet1", "2013", "Họp, 2013", "meetings"]))
    layout = draw(
        st.sampled_from(["first"] * 3 + ["named"] * 2 + ["after_other"] * 2 + ["no_such_sheet"])
    )
    sheet = None if layout == "first" else data.title
    if layout == "after_other":
        book.create_sheet("other", 0).append(["not", "these"])
    elif layout == "no_such_sheet":
        sheet = "2099"
    if draw(st.integers(0, 4)) == 0:
        book.create_sheet("later").append(header)
    columns: list[str | None] = list(header)
    shape = draw(st.sampled_from(["plain"] * 9 + ["missing", "twice", "unnamed", "unnamed"]))
    if shape == "missing":
        columns.remove(draw(st.sampled_from(header)))
    elif shape == "twice":
        columns.append(draw(st.sampled_from(header)))
    elif shape == "unnamed":
        columns.insert(draw(st.integers(0, len(columns))), None)
    top, left = draw(st.sampled_from([(1, 1), (1, 1), (1, 1), (3, 1), (1, 3), (2, 2)]))
    for j, name in enumerate(columns):
        data.cell(top, left + j, name)
    faults = draw(st.lists(st.sampled_from(XLSX_FAULTS), max_size=3))
    broken = {draw(st.integers(0, max(len(rows) - 1, 0))): f for f in faults}
    line = top
    for i, row in enumerate(rows):
        fault = broken.get(i)
        line += 2 if fault == "blank_row" else 1
        for j, name in enumerate(columns):
            value: object = "note" if name is None else row.get(name, "")
            day = _date_of(value) if isinstance(value, str) else None
            if day is not None and fault == "date_cell":
                value = day
            elif day is not None and fault == "midnight_cell":
                value = dt.datetime(day.year, day.month, day.day)
            elif day is not None and fault == "datetime_cell":
                value = dt.datetime(day.year, day.month, day.day, 14, 30)
            elif value == "" and fault != "empty_string":
                value = None
            if j == 0 and fault == "number_cell":
                value = draw(st.sampled_from([3.0, 0.75, 1e20, -0.0, 12]))
            elif j == 0 and fault == "bool_cell":
                value = draw(st.booleans())
            elif j == 0 and fault == "formula":
                value = "=1+1"  # openpyxl saves no computed value: the cell reads as empty
            if value is not None:
                data.cell(line, left + j, value)
        if fault == "note_outside":
            data.cell(line, left + len(columns) + 1, "note")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), sheet


_TABLES = itertools.count()

#: The types a column of a PostgreSQL table may have: a column of dates (``*_on``), and any
#: other. Mostly text, so that many rows are clean and the typed values reach the counts.
PG_DATE_TYPES = ["text", "date", "timestamp", "timestamp"]
PG_TYPES = ["text"] * 8 + ["varchar(200)", "date", "numeric", "float8", "jsonb"]


def _fits(kind: str, values: list[str]) -> bool:
    from vpcp_indicators.sources.checks import parse_date, parse_number

    present = [v for v in values if v]
    if kind in ("date", "timestamp"):
        return all(parse_date(v) for v in present)
    if kind in ("numeric", "float8"):
        return all(parse_number(v) is not None for v in present)
    return True


@st.composite
def postgres_table(
    draw: st.DrawFn, admin: Any, url: str, name: str, header: list[str], rows: list[dict[str, str]]
) -> dict[str, Any]:
    """A table of these rows in PostgreSQL, through a superuser's connection ``admin``, with
    column types drawn among those the values fit (and JSON, which makes a row unreadable);
    the plan's source for it (its table, or a query of it)."""
    from psycopg import sql
    from psycopg.types.json import Jsonb

    table = f"{name}_{next(_TABLES)}"
    # A value a typed column cannot hold is left out (NULL) rather than the type given up,
    # so that typed columns are common.
    types = {
        c: draw(st.sampled_from(PG_DATE_TYPES if c.endswith("_on") else PG_TYPES)) for c in header
    }
    keyed = draw(st.booleans())
    columns = [sql.SQL("{} {}").format(sql.Identifier(c), sql.SQL(types[c])) for c in header]
    if keyed:
        columns.insert(draw(st.integers(0, len(columns))), sql.SQL("id serial PRIMARY KEY"))
    admin.execute(
        sql.SQL("CREATE TABLE {} ({})").format(
            sql.Identifier("public", table), sql.SQL(", ").join(columns)
        )
    )
    names = sql.SQL(", ").join(map(sql.Identifier, header))
    marks = sql.SQL(", ").join(sql.Placeholder() for _ in header)
    insert = sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
        sql.Identifier("public", table), names, marks
    )

    def value(column: str, text: str) -> object:
        kind = types[column]
        if text == "":
            return draw(st.sampled_from([None, ""])) if kind in ("text", "varchar(200)") else None
        if not _fits(kind, [text]):
            return None
        if kind == "timestamp":
            return text + draw(st.sampled_from(["", "", " 10:30", " 00:00:00.5"]))
        return Jsonb(text) if kind == "jsonb" else text

    with admin.cursor() as cursor:
        for row in rows:
            cursor.execute(insert, [value(c, row[c]) for c in header])
    how = draw(st.integers(0, 3))
    if how == 0:
        return {"url": url, "query": f'SELECT * FROM "{table}"'}
    if how == 1 and keyed:
        return {"url": url, "query": f'SELECT * FROM "{table}" ORDER BY id DESC'}
    return {"url": url, "table": table}


#: The types a column of a Spark view may have (see :data:`PG_DATE_TYPES`).
SPARK_DATE_TYPES = ["string", "date", "timestamp", "timestamp"]
SPARK_TYPES = ["string"] * 8 + ["date", "double", "binary", "array<string>"]


@st.composite
def spark_view(
    draw: st.DrawFn, spark: Any, url: str, name: str, header: list[str], rows: list[dict[str, str]]
) -> dict[str, Any]:
    """A temporary view of these rows in the Spark session, with column types drawn (a value
    a typed column cannot hold is none; a binary or array value makes a row unreadable); the
    plan's source for it (its name, or a query of it)."""
    view = f"{name}_{next(_TABLES)}"
    types = {
        c: draw(st.sampled_from(SPARK_DATE_TYPES if c.endswith("_on") else SPARK_TYPES))
        for c in header
    }

    def value(column: str, text: str) -> object:
        kind = types[column]
        if text == "":
            return draw(st.sampled_from([None, ""])) if kind == "string" else None
        if kind in ("date", "timestamp") and not _fits("date", [text]):
            return None
        if kind == "double" and not _fits("numeric", [text]):
            return None
        if kind == "date":
            return dt.date.fromisoformat(text)
        if kind == "timestamp":
            day = dt.date.fromisoformat(text)
            hour = draw(st.sampled_from([0, 0, 10]))
            return dt.datetime(day.year, day.month, day.day, hour)
        if kind == "double":
            return float(text)
        if kind == "binary":
            return bytearray(text.encode())
        return [text] if kind == "array<string>" else text

    schema = ", ".join(f"`{c}` {types[c]}" for c in header)
    records = [[value(c, row[c]) for c in header] for row in rows]
    spark.createDataFrame(records, schema).createOrReplaceTempView(view)
    if draw(st.booleans()):
        return {"url": url, "query": f"SELECT * FROM `{view}`"}
    return {"url": url, "table": view}
