"""Declaring kinds: parameters are checked where they are declared and where they are given."""

from __future__ import annotations

import pytest

from vpcp_indicators import Param
from vpcp_indicators.kinds import resolve_params


def test_a_default_of_the_wrong_type_is_refused_when_declared():
    with pytest.raises(ValueError, match="parameter 'levels': default"):
        Param("levels", "text", default=["3", "4"])


def test_parameters_are_resolved_with_defaults_and_checked():
    params = [
        Param("levels", "texts", default=("3", "4"), choices=("1", "2", "3", "4")),
        Param("strict", "boolean", default=False),
        Param("share", "number", default=0.5),
    ]
    resolved, wrong = resolve_params(params, {"levels": ["2"], "share": True, "other": 1})
    assert resolved == {"levels": ["2"], "strict": False, "share": True}
    assert [(name, str(problem)) for name, problem in wrong] == [
        ("other", "unknown parameter (parameters of this kind: levels, share, strict)"),
        ("share", "expected a number"),
    ]
