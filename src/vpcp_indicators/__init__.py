"""vpcp-indicators: monitor an IT application plan with indicator plugins.

The public API is what ``__all__`` lists; everything else is private by convention. Names
are imported on first use, so that ``vpcp-indicators --version`` does not load the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .aggregation import Aggregation
    from .cache import USER_CACHE, Cache
    from .engine import Engine, default_as_of
    from .errors import DataError, PlanError, PluginError, Problem, SourceError, VpcpError
    from .evaluation import Evaluation, IndicatorResult, Report, TaskResult, report_from_dict
    from .formats import Format, RenderOptions
    from .hookspecs import hookimpl, hookspec
    from .kinds.counting import (
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
    from .kinds.kind import Column, Kind, Param, Record, Source
    from .measurement import DataWarning, Flag, Group, Measurement, SourceRecord
    from .milestones import MILESTONE_STATES, Milestone
    from .organisation import UnitBreakdown, UnitFigures
    from .plan.model import (
        Baseline,
        Breakdown,
        Indicator,
        OrgUnit,
        Plan,
        Project,
        Scoring,
        Target,
        Task,
    )
    from .plan.reading import load_plan
    from .plugins.discovery import PluginInfo
    from .scoring import STATUSES
    from .sources import CountingReader, SourceReader
    from .windows import Window


#: Where each public name lives.
_LOCATIONS = {
    "After": "kinds.counting",
    "Aggregation": "aggregation",
    "AllOf": "kinds.counting",
    "Always": "kinds.counting",
    "AnyOf": "kinds.counting",
    "Baseline": "plan.model",
    "Breakdown": "plan.model",
    "Cache": "cache",
    "Column": "kinds.kind",
    "Condition": "kinds.counting",
    "Count": "kinds.counting",
    "DataError": "errors",
    "DataWarning": "measurement",
    "Empty": "kinds.counting",
    "Engine": "engine",
    "Evaluation": "evaluation",
    "Flag": "measurement",
    "Format": "formats",
    "Group": "measurement",
    "HasRelated": "kinds.counting",
    "In": "kinds.counting",
    "InWindow": "kinds.counting",
    "Indicator": "plan.model",
    "IndicatorResult": "evaluation",
    "Kind": "kinds.kind",
    "Measurement": "measurement",
    "Milestone": "milestones",
    "MILESTONE_STATES": "milestones",
    "Not": "kinds.counting",
    "OnOrBefore": "kinds.counting",
    "OrgUnit": "plan.model",
    "Param": "kinds.kind",
    "Plan": "plan.model",
    "PlanError": "errors",
    "PluginError": "errors",
    "PluginInfo": "plugins.discovery",
    "Problem": "errors",
    "Project": "plan.model",
    "Record": "kinds.kind",
    "RenderOptions": "formats",
    "Report": "evaluation",
    "STATUSES": "scoring",
    "USER_CACHE": "cache",
    "Scoring": "plan.model",
    "Source": "kinds.kind",
    "SourceRecord": "measurement",
    "SourceError": "errors",
    "SourceReader": "sources",
    "CountingReader": "sources",
    "Target": "plan.model",
    "Task": "plan.model",
    "TaskResult": "evaluation",
    "Unit": "units",
    "UnitBreakdown": "organisation",
    "UnitFigures": "organisation",
    "VpcpError": "errors",
    "Window": "windows",
    "default_as_of": "engine",
    "hookimpl": "hookspecs",
    "hookspec": "hookspecs",
    "load_plan": "plan.reading",
    "report_from_dict": "evaluation",
}


def __dir__() -> list[str]:
    return sorted(__all__)


def __getattr__(name: str) -> Any:
    if name in _LOCATIONS:
        value = getattr(importlib.import_module(f".{_LOCATIONS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "MILESTONE_STATES",
    "STATUSES",
    "USER_CACHE",
    "After",
    "Aggregation",
    "AllOf",
    "Always",
    "AnyOf",
    "Baseline",
    "Breakdown",
    "Cache",
    "Column",
    "Condition",
    "Count",
    "CountingReader",
    "DataError",
    "DataWarning",
    "Empty",
    "Engine",
    "Evaluation",
    "Flag",
    "Format",
    "Group",
    "HasRelated",
    "In",
    "InWindow",
    "Indicator",
    "IndicatorResult",
    "Kind",
    "Measurement",
    "Milestone",
    "Not",
    "OnOrBefore",
    "OrgUnit",
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
    "SourceReader",
    "SourceRecord",
    "Target",
    "Task",
    "TaskResult",
    "Unit",
    "UnitBreakdown",
    "UnitFigures",
    "VpcpError",
    "Window",
    "__version__",
    "default_as_of",
    "hookimpl",
    "hookspec",
    "load_plan",
    "report_from_dict",
]
