"""A plan and records whose text would take over a terminal or a Markdown page, for the
tests of what reaches a person."""

from __future__ import annotations

import re

from vpcp_indicators.testing import indicator, plan_text

#: Every character a terminal takes for a control, and the bidirectional ones.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

PLAN_TITLE = "Plan \x1b[2J\x1b[Hcleared"
TASK_ID = "T\x1b[1m1"
TASK_TITLE = "Task \u202eevil\u202c\r\x9b31m"
INDICATOR_ID = "meet\x1b[31m\x07ings"
INDICATOR_TITLE = (
    "![pic](http://evil.example/x.png) [click](http://evil.example) <script>alert(1)</script>"
    " <http://evil.example> a|b\nnext \x1b]0;owned\x07 \b"
)
GROUP = "[grp](http://evil.example)\x1b[5m|<b>x</b>\x9b"
#: A label the plan may give GROUP.
LABEL = "*[lbl](http://evil.example)*\x1b[31m|<img src=x onerror=alert(1)>\u202e"
SOURCE = "m\x1b[31m.csv"


def write_hostile_plan(folder, labelled=False):
    """Write the plan and its source into ``folder``; return the plan file. Its one indicator
    counts one online meeting with the counterpart kind GROUP, and skips one row (a bad
    date) with a data warning naming SOURCE. ``labelled``: the plan labels GROUP with
    LABEL."""
    (folder / SOURCE).write_text(
        "meeting_id,held_on,chair,counterpart_kind,mode\n"
        f"M1,2012-02-01,prime_minister,{GROUP},online\n"
        "M2,2012-13-45,prime_minister,ministry,online\n",
        "utf-8",
    )
    item = indicator(
        "online_meeting_coverage",
        {"meetings": SOURCE},
        id=INDICATOR_ID,
        task=TASK_ID,
        title=INDICATOR_TITLE,
        params={"counterpart_kinds": [GROUP]},
    )
    path = folder / "plan.toml"
    tasks = [{"id": TASK_ID, "title": TASK_TITLE}]
    labels = {"counterpart_kind": {GROUP: LABEL}} if labelled else None
    path.write_text(
        plan_text([item], tasks=tasks, plan={"title": PLAN_TITLE}, labels=labels), "utf-8"
    )
    return path
