"""The command line's outputs, end to end: where --output leads, what it will not write
over, standard output closed, full or gone, and an interrupted run."""

from __future__ import annotations

import json
import socket

import pytest
from click.testing import CliRunner
from conftest import SEED_PLAN

from vpcp_indicators.cli import cli


@pytest.fixture(autouse=True)
def _clean_env(cli_env):
    pass


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


def evaluate(*args):
    return run("evaluate", SEED_PLAN, "--lang", "en", "--as-of", "2012-12-31", *args)


def test_output_through_a_link_replaces_its_target_and_keeps_the_link(tmp_path):
    real = tmp_path / "report-2012.json"
    real.write_text("stale", "utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(real.name)
    result = evaluate("--format", "json", "--output", link)
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert json.loads(real.read_text("utf-8"))["evaluations"][0]["as_of"] == "2012-12-31"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["latest.json", "report-2012.json"]


def test_output_onto_a_socket_is_refused_in_one_line_before_computing(tmp_path):
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        # A plan that cannot be read: the output is refused first, so nothing is computed.
        result = run("evaluate", tmp_path / "missing.toml", "--lang", "en", "--output", path)
    finally:
        server.close()
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == f"error: will not write {path}: it is a socket\n"
