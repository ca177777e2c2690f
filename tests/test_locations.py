"""The TOML key locator: line and column of every key, for error messages."""

from __future__ import annotations

import sys

from vpcp_indicators.plan.locations import locate_keys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DOC = '''\
# a comment with [brackets] and key = "value"
[plan]
id = "p"   # trailing [comment]
"quoted key" = 'it is'
text = """
[not a table]
x = 1
"""
dotted.key = 2

[[tasks]]
id = "A"

[[tasks.projects]]
id = "A1"

[[tasks]]
id = "B"
  [[tasks.projects]]
  id = "B1"
  [[tasks.projects]]
  id = "B2"

[[indicators]]
id = "i0"
targets = [
  { by = 2012-12-31, value = 0.7 },
    {by=2015-12-31,value=1.0},
]
[indicators.sources]
documents = "a.csv"

[[indicators]]
id = "i1"
targets = [{ by = 2013-01-01, value = 1 }]
'''


def test_the_document_is_valid_toml():
    tomllib.loads(DOC)


def test_keys_of_plain_tables_and_quoted_and_dotted_keys():
    found = locate_keys(DOC)
    assert found[("plan",)] == (2, 1)
    assert found[("plan", "id")] == (3, 1)
    assert found[("plan", "quoted key")] == (4, 1)
    assert found[("plan", "dotted", "key")] == (9, 1)
    # Nothing inside the multi-line string or the comments is taken for a key.
    assert ("not a table",) not in found
    assert ("plan", "x") not in found


def test_arrays_of_tables_and_their_subtables_count_per_parent():
    found = locate_keys(DOC)
    assert found[("tasks", 0, "id")] == (12, 1)
    assert found[("tasks", 0, "projects", 0, "id")] == (15, 1)
    assert found[("tasks", 1, "id")] == (18, 1)
    assert found[("tasks", 1, "projects", 0, "id")] == (20, 3)
    assert found[("tasks", 1, "projects", 1, "id")] == (22, 3)


def test_inline_tables_inside_arrays_and_subtables_of_the_last_element():
    found = locate_keys(DOC)
    assert found[("indicators", 0, "targets")] == (26, 1)
    assert found[("indicators", 0, "targets", 0)] == (27, 3)
    assert found[("indicators", 0, "targets", 0, "value")] == (27, 22)
    assert found[("indicators", 0, "targets", 1, "by")] == (28, 6)
    assert found[("indicators", 0, "sources", "documents")] == (31, 1)
    assert found[("indicators", 1, "targets", 0, "by")] == (35, 14)


def test_strings_with_escapes_and_extra_closing_quotes():
    doc = 'a = "x\\"y"\nb = """q""""\nc = \'\'\'z\'\'\'\'\'\nd = 1\n'
    tomllib.loads(doc)
    found = locate_keys(doc)
    assert [found[(k,)] for k in "abcd"] == [(1, 1), (2, 1), (3, 1), (4, 1)]
