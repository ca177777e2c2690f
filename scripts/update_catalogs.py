"""Extract the messages to translate, merge them into each language's catalog, compile them.

    python scripts/update_catalogs.py          # after changing messages: then translate the .po
    python scripts/update_catalogs.py --check  # CI: fails if a catalog is stale or incomplete

Messages are written in English in the code (``message(...)``, ``N_(...)``,
``lang.gettext(...)``, ``SourceError.at(path, ...)``, ``self.problem(path, ...)``, errors'
first argument, ``_(...)`` in templates). English catalogs repeat the message (so that the
English wording can be edited without touching code); the Vietnamese one translates it.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "src" / "vpcp_indicators" / "locale"
TEMPLATE = LOCALE / "vpcp_indicators.pot"
LANGUAGES = ("vi", "en")
# Catalogs carry no changing date, so that making them again gives the same bytes.
FIXED = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
KEYWORDS = [
    "message", "N_", "gettext", "ngettext:1,2", "plural_message:1,2", "at:2", "problem:2",
    "PluginError", "OutputError", "DataError", "VpcpError", "ScaffoldError", "ResourceError", "_",
]  # fmt: skip


def extract(target: Path) -> None:
    command = [sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
               str(ROOT / "babel.cfg"), "--no-location", "--omit-header", "--sort-output",
               "-o", str(target)]  # fmt: skip
    for keyword in KEYWORDS:
        command += ["-k", keyword]
    subprocess.run([*command, "src"], cwd=ROOT, check=True, capture_output=True)


def po(code: str) -> Path:
    return LOCALE / code / "LC_MESSAGES" / "vpcp_indicators.po"


def _key(value: object) -> object:
    # read_mo gives plural forms as lists, read_po as tuples: compare them alike.
    return tuple(value) if isinstance(value, (list, tuple)) else value


def check() -> list[str]:
    """What is wrong with the catalogs: messages missing, untranslated, or not compiled."""
    problems = []
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch) / "fresh.pot"
        extract(fresh)
        with open(fresh, "rb") as stream:
            wanted = {m.id for m in read_po(stream) if m.id}
    for code in LANGUAGES:
        with open(po(code), "rb") as stream:
            catalog = read_po(stream)
        have = {m.id: m for m in catalog if m.id}
        for missing in sorted(wanted - set(have)):
            problems.append(f"{code}: not in the catalog: {missing!r}")
        for message_id, message in have.items():
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message_id in wanted and not all(strings):
                problems.append(f"{code}: not translated: {message_id!r}")
        mo = po(code).with_suffix(".mo")
        compiled = {}
        if mo.exists():
            with open(mo, "rb") as stream:
                compiled = {_key(m.id): _key(m.string) for m in read_mo(stream) if m.id}
        if compiled != {_key(m.id): _key(m.string) for m in catalog if m.id}:
            problems.append(f"{code}: {mo.name} differs from {po(code).name}: compile it")
    return problems


def update() -> None:
    """Merge the messages into each catalog, keep existing translations, compile."""
    extract(TEMPLATE)
    with open(TEMPLATE, "rb") as stream:
        template = read_po(stream)
    for code in LANGUAGES:
        old = {}
        if po(code).exists():
            with open(po(code), "rb") as stream:
                old = {m.id: m.string for m in read_po(stream) if m.id}
        catalog = Catalog(
            locale=code,
            domain="vpcp_indicators",
            project="vpcp-indicators",
            creation_date=FIXED,
            revision_date=FIXED,
        )
        for message in template:
            if not message.id:
                continue
            string = old.get(message.id)
            if not string and code == "en":
                string = message.id
            catalog.add(message.id, string or ("", "") if message.pluralizable else string or "")
        po(code).parent.mkdir(parents=True, exist_ok=True)
        with open(po(code), "wb") as stream:
            write_po(stream, catalog, sort_output=True, no_location=True, width=100)
        with open(po(code).with_suffix(".mo"), "wb") as stream:
            write_mo(stream, catalog)


if __name__ == "__main__":
    if "--check" in sys.argv:
        found = check()
        print("\n".join(found) or "catalogs complete")
        sys.exit(1 if found else 0)
    update()
