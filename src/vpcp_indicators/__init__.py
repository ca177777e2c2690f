"""vpcp-indicators: monitor an IT application plan with indicator plugins.

The public API is what ``__all__`` lists; everything else is private by convention. Names
are imported on first use, so that ``vpcp-indicators --version`` does not load the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .counting import (
        After,
        AllOf,
        Always,
        AnyOf,
        Condition,
        Count,
        Empty,
        HasRelated,
        In,
        InWindow,
        Not,
        OnOrBefore,
    )
    from .engine import Engine, default_as_of
    from .errors import DataError, PlanError, PluginError, Problem, SourceError, VpcpError
    from .evaluation import Evaluation, IndicatorResult, Report, TaskResult, report_from_dict
    from .formats import Format, RenderOptions
    from .hookspecs import hookimpl, hookspec
    from .kinds import Column, Kind, Param, Record, Source
    from .loader import load_plan
    from .measurement import DataWarning, Group, Measurement
    from .plan import Baseline, Indicator, Plan, Project, Scoring, Target, Task
    from .plugins import PluginInfo
    from .scoring import STATUSES
    from .windows import Window


#: Where each public name lives.
_LOCATIONS = {
    "After": "counting",
    "AllOf": "counting",
    "Always": "counting",
    "AnyOf": "counting",
    "Baseline": "plan",
    "Column": "kinds",
    "Condition": "counting",
    "Count": "counting",
    "DataError": "errors",
    "DataWarning": "measurement",
    "Empty": "counting",
    "Engine": "engine",
    "Evaluation": "evaluation",
    "Format": "formats",
    "Group": "measurement",
    "HasRelated": "counting",
    "In": "counting",
    "InWindow": "counting",
    "Indicator": "plan",
    "IndicatorResult": "evaluation",
    "Kind": "kinds",
    "Measurement": "measurement",
    "Not": "counting",
    "OnOrBefore": "counting",
    "Param": "kinds",
    "Plan": "plan",
    "PlanError": "errors",
    "PluginError": "errors",
    "PluginInfo": "plugins",
    "Problem": "errors",
    "Project": "plan",
    "Record": "kinds",
    "RenderOptions": "formats",
    "Report": "evaluation",
    "STATUSES": "scoring",
    "Scoring": "plan",
    "Source": "kinds",
    "SourceError": "errors",
    "Target": "plan",
    "Task": "plan",
    "TaskResult": "evaluation",
    "VpcpError": "errors",
    "Window": "windows",
    "default_as_of": "engine",
    "hookimpl": "hookspecs",
    "hookspec": "hookspecs",
    "load_plan": "loader",
    "report_from_dict": "evaluation",
}


def __getattr__(name: str) -> Any:
    if name in _LOCATIONS:
        value = getattr(importlib.import_module(f".{_LOCATIONS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "STATUSES",
    "After",
    "AllOf",
    "Always",
    "AnyOf",
    "Baseline",
    "Column",
    "Condition",
    "Count",
    "DataError",
    "DataWarning",
    "Empty",
    "Engine",
    "Evaluation",
    "Format",
    "Group",
    "HasRelated",
    "In",
    "InWindow",
    "Indicator",
    "IndicatorResult",
    "Kind",
    "Measurement",
    "Not",
    "OnOrBefore",
    "Param",
    "Plan",
    "PlanError",
    "PluginError",
    "PluginInfo",
    "Problem",
    "Project",
    "Record",
    "RenderOptions",
    "Report",
    "Scoring",
    "Source",
    "SourceError",
    "Target",
    "Task",
    "TaskResult",
    "VpcpError",
    "Window",
    "__version__",
    "default_as_of",
    "hookimpl",
    "hookspec",
    "load_plan",
    "report_from_dict",
]
