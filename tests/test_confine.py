"""Plans from others: an engine that does not trust its plans runs no code of theirs and reads
only regular files inside their folder, whatever the paths, links and files they name."""

from __future__ import annotations

import datetime as dt
import os
import socket
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEED_PLAN, indicator, plan_text, write_csv

from vpcp_indicators import Engine, PlanError
from vpcp_indicators.cli import cli

DAY = dt.date(2012, 12, 31)
HEADER = "doc_id,issued_on,issuer,classification,channel\n"
DOCUMENTS = HEADER + "1,2012-01-01,government,normal,electronic\n"
#: What a file outside the plan's folder holds: no message may show it.
SECRET = "s3cr3t-value"

#: A plugin that leaves a mark when it is imported: an untrusted plan's must never be.
MARKING_PLUGIN = """
from pathlib import Path

Path(__file__).with_name("imported").write_text("the plan's code ran")
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A plan's folder, with a sound source in it; beside it, a secret file it must not read."""
    plans = tmp_path / "upload"
    (plans / "data").mkdir(parents=True)
    (plans / "data" / "documents.csv").write_text(DOCUMENTS, "utf-8")
    (tmp_path / "secret.csv").write_text(f"{SECRET},{SECRET}\n{SECRET},{SECRET}\n", "utf-8")
    return plans


def plan_in(folder: Path, source: str, **plan: object) -> Path:
    path = folder / "plan.toml"
    items = [indicator("e_document_dispatch", {"documents": source})]
    path.write_text(plan_text(items, plan=plan), "utf-8")
    return path


def refusals(path: Path) -> list[str]:
    """The problems an engine that does not trust the plan finds, without the file's name."""
    return [str(p).split(": ", 1)[1] for p in Engine(trusted=False).validate(path)]


def test_a_source_inside_the_plans_folder_is_read(folder):
    path = plan_in(folder, "data/documents.csv")
    assert refusals(path) == []
    report = Engine(trusted=False).evaluate(path, [DAY])
    assert report.latest.indicator("ind").numerator == 1


def test_a_link_inside_the_folder_to_a_file_inside_it_is_read(folder):
    (folder / "documents.csv").symlink_to(folder / "data" / "documents.csv")
    (folder / "shared").symlink_to(folder / "data")
    assert refusals(plan_in(folder, "documents.csv")) == []
    assert refusals(plan_in(folder, "shared/documents.csv")) == []


OUTSIDE = "an untrusted plan reads only files inside its folder: "
REGULAR = "an untrusted plan reads only regular files, not "
WHERE = "indicators[0].sources.documents: "


@pytest.mark.parametrize(
    ("make", "written", "why"),
    [
        (None, "../secret.csv", OUTSIDE + "the path goes up (..)"),
        (None, "data/../../secret.csv", OUTSIDE + "the path goes up (..)"),
        (None, "{tmp}/secret.csv", OUTSIDE + "the path is absolute"),
        (None, "/etc/passwd", OUTSIDE + "the path is absolute"),
        ("link", "documents.csv", OUTSIDE + "the path leads out of the folder"),
        ("dir-link", "up/secret.csv", OUTSIDE + "the path leads out of the folder"),
        ("passwd", "documents.csv", OUTSIDE + "the path leads out of the folder"),
        ("environ", "documents.csv", OUTSIDE + "the path leads out of the folder"),
        ("dangling", "documents.csv", OUTSIDE + "the path leads out of the folder"),
        ("directory", "documents.csv", REGULAR + "a directory"),
        ("fifo", "documents.csv", REGULAR + "a named pipe"),
        ("socket", "documents.csv", REGULAR + "a socket"),
        ("device", "documents.csv", REGULAR + "a device"),
        (
            "pattern",
            "data/*.csv",
            "an untrusted plan names each file it reads: no *, ? or [ in its paths",
        ),
        ("loop", "documents.csv", "the path cannot be followed: Too many levels of symbolic links"),
    ],
)
def test_a_source_that_is_not_a_regular_file_inside_the_folder_is_refused(
    folder, tmp_path, make, written, why
):
    target = folder / "documents.csv"
    if make == "link":
        target.symlink_to(tmp_path / "secret.csv")
    elif make == "dir-link":
        (folder / "up").symlink_to(tmp_path)
    elif make == "passwd":
        target.symlink_to("/etc/passwd")
    elif make == "environ":
        target.symlink_to("/proc/self/environ")
    elif make == "dangling":
        target.symlink_to(tmp_path / "gone.csv")
    elif make == "directory":
        target.mkdir()
    elif make == "fifo":
        os.mkfifo(target)  # opening it would wait forever for a writer
    elif make == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(target))
    elif make == "device":
        try:  # /dev/zero's twin: read, it never ends
            os.mknod(target, stat.S_IFCHR | 0o600, os.makedev(1, 5))
        except PermissionError:
            pytest.skip("making a device needs privileges")
    elif make == "pattern":
        # A file named *.csv, and beside it a link out that the pattern would match.
        (folder / "data" / "*.csv").write_text(DOCUMENTS, "utf-8")
        (folder / "data" / "x.csv").symlink_to(tmp_path / "secret.csv")
    elif make == "loop":
        target.symlink_to(folder / "again.csv")
        (folder / "again.csv").symlink_to(target)
    path = plan_in(folder, written.replace("{tmp}", str(tmp_path)))

    found: list[list[str]] = []
    checking = threading.Thread(target=lambda: found.append(refusals(path)), daemon=True)
    checking.start()
    checking.join(timeout=30)
    assert not checking.is_alive(), "the check opened what it should only have looked at"
    assert found == [[WHERE + why]]
    with pytest.raises(PlanError) as raised:
        Engine(trusted=False).evaluate(path, [DAY])
    assert [str(p).split(": ", 1)[1] for p in raised.value.problems] == [WHERE + why]
    assert SECRET not in str(raised.value)


def test_a_file_of_the_system_is_refused_even_inside_the_folder(folder, monkeypatch):
    from vpcp_indicators.plan import confine

    # As if the plan's folder were on /proc: a mount or a bind can put one anywhere.
    monkeypatch.setattr(confine, "_SYSTEM", (str(folder),))
    assert refusals(plan_in(folder, "data/documents.csv")) == [
        WHERE + "an untrusted plan reads no file of the system (/proc, /sys, /dev)"
    ]


def test_every_refusal_is_told_at_its_key_in_one_go(folder, tmp_path):
    path = folder / "plan.toml"
    items = [
        indicator("e_document_dispatch", {"documents": "../secret.csv"}, id="a"),
        indicator("e_document_dispatch", {"documents": "data/documents.csv"}, id="b"),
        indicator("no_such_kind", {"documents": "/etc/shadow"}, id="c"),
    ]
    path.write_text(plan_text(items, plan={"plugins_dir": "plugins"}), "utf-8")
    problems = Engine(trusted=False).validate(path)
    assert [(p.key, p.line) for p in problems] == [
        ("plan.plugins_dir", 6),
        ("indicators[0].sources.documents", 18),
        ("indicators[2].sources.documents", 34),
        ("indicators[2].kind", 31),
    ]
    assert all(p.file == str(path) for p in problems)


def test_a_plans_plugins_dir_is_refused_and_nothing_of_it_is_imported(folder):
    plugins = folder / "plugins"
    plugins.mkdir()
    (plugins / "marking.py").write_text(MARKING_PLUGIN, "utf-8")
    path = plan_in(folder, "data/documents.csv", plugins_dir="plugins")
    engine = Engine(trusted=False)
    refused = "plan.plugins_dir: an untrusted plan runs no code: its plugins_dir is refused"
    assert [str(p) for p in engine.validate(path)] == [f"{path}:6:1: {refused}"]
    with pytest.raises(PlanError, match="plugins_dir is refused"):
        engine.evaluate(path, [DAY])
    with pytest.raises(PlanError, match="plugins_dir is refused"):
        engine.registry_for(path)
    with pytest.raises(PlanError, match="plugins_dir is refused"):
        engine.plugins(path)
    assert engine.render(Engine().evaluate(SEED_PLAN, [DAY]), "json").startswith("{")
    assert not (plugins / "imported").exists()
    # A trusted engine runs it.
    Engine().validate(path)
    assert (plugins / "imported").exists()


def test_a_trusted_engine_reads_what_the_plan_names(folder, tmp_path):
    write_csv(tmp_path / "outside.csv", DOCUMENTS)
    path = plan_in(folder, "../outside.csv")
    assert Engine().validate(path) == []
    assert refusals(path) == [WHERE + OUTSIDE + "the path goes up (..)"]


def test_a_plan_made_in_code_has_no_folder_to_read(folder):
    import attrs

    from vpcp_indicators import load_plan

    plan = attrs.evolve(load_plan(plan_in(folder, "data/documents.csv")), path=None)
    (problem,) = Engine(trusted=False).validate(plan)
    assert problem.message == (
        "an untrusted plan must be read from a file: it reads only its folder"
    )


def test_a_source_changed_in_code_is_judged_where_it_leads(folder, tmp_path):
    import attrs

    from vpcp_indicators import load_plan
    from vpcp_indicators.plan.sourceref import SourceRef

    plan = load_plan(plan_in(folder, "data/documents.csv"))
    # Written as inside the folder, but leading out of it: judged by where it leads.
    secret = SourceRef.file(tmp_path / "secret.csv", "data/documents.csv")
    moved = attrs.evolve(plan.indicators[0], sources={"documents": secret})
    plan = attrs.evolve(plan, indicators=(moved,))
    (problem,) = Engine(trusted=False).validate(plan)
    assert problem.message == OUTSIDE + "the path leads out of the folder"


# -- the command line -----------------------------------------------------------------------


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize(
    "command",
    [
        ["evaluate", "{plan}", "--as-of", "2012-12-31", "--lang", "en"],
        ["explain", "{plan}", "ind", "--as-of", "2012-12-31", "--lang", "en"],
        ["validate", "{plan}", "--lang", "en"],
        ["plugins", "{plan}"],
        ["schema", "{plan}"],
    ],
)
def test_every_command_that_reads_a_plan_refuses_its_code_when_untrusted(folder, cli_env, command):
    plugins = folder / "plugins"
    plugins.mkdir()
    (plugins / "marking.py").write_text(MARKING_PLUGIN, "utf-8")
    path = plan_in(folder, "data/documents.csv", plugins_dir="plugins")
    args = [str(path) if a == "{plan}" else a for a in command]
    result = run(*args, "--untrusted")
    assert result.exit_code == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()  # in the language asked, else Vietnamese
    assert line.startswith(f"{path}:6:1: plan.plugins_dir: ")
    assert line.endswith(("its plugins_dir is refused", "plugins_dir của nó bị từ chối"))
    assert not (plugins / "imported").exists()
    assert run(*args).exit_code == 0  # trusted, it runs
    assert (plugins / "imported").exists()


def test_validate_untrusted_shows_nothing_of_a_file_outside(folder, cli_env):
    (folder / "documents.csv").symlink_to("/etc/passwd")
    path = plan_in(folder, "documents.csv")
    result = run("validate", path, "--untrusted", "--lang", "en")
    assert result.exit_code == 2
    assert result.stderr == (f"{path}:17:13: {WHERE}{OUTSIDE}the path leads out of the folder\n")
    # Trusted, it reads the file, and still shows nothing of its first line.
    trusted = run("validate", path, "--lang", "en")
    assert trusted.exit_code == 2
    assert "root:" not in trusted.stderr


def test_refusals_are_told_in_vietnamese_too(folder, cli_env):
    path = plan_in(folder, "../secret.csv")
    result = run("validate", path, "--untrusted", "--lang", "vi")
    assert result.exit_code == 2
    assert result.stderr == (
        f"{path}:17:13: {WHERE}kế hoạch không được tin cậy chỉ được đọc các tệp trong thư mục "
        "của nó: đường dẫn đi lên thư mục cha (..)\n"
    )
