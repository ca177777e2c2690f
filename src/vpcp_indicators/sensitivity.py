"""How much the method decides, as values: a plan's and each task's score and status on one
date under each variant of the method (``vpcp-indicators sensitivity``). The engine computes
them (:meth:`vpcp_indicators.Engine.sensitivity`); this is what it gives, and the JSON output.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

from .plan.model import Plan
from .scoring import StatusCode

__all__ = ["Sensitivity", "TaskFigure", "Variant", "VariantKind"]

#: What a variant changes: nothing (the plan's own method), the aggregation, the weights
#: (all equal), or which tasks count (one left out).
VariantKind = Literal["plan", "aggregation", "equal_weights", "without_task"]


@attrs.frozen
class TaskFigure:
    """A task's score and status under a variant."""

    id: str
    score: float | None
    status: StatusCode

    def to_dict(self) -> dict[str, Any]:
        """The task as the JSON output gives it."""
        return {"id": self.id, "score": self.score, "status": self.status}


@attrs.frozen
class Variant:
    """The plan's figures under one variant of the method: ``aggregation`` is the one used,
    ``equal_weights`` whether every task and indicator weighed 1, ``left_out`` the task left
    out of the plan's score (its own figures are not given)."""

    kind: VariantKind
    aggregation: str
    equal_weights: bool
    left_out: str | None
    score: float | None
    status: StatusCode
    tasks: tuple[TaskFigure, ...]

    def to_dict(self) -> dict[str, Any]:
        """The variant as the JSON output gives it."""
        return {
            "variant": self.kind,
            "aggregation": self.aggregation,
            "weights": "equal" if self.equal_weights else "plan",
            "left_out": self.left_out,
            "score": self.score,
            "status": self.status,
            "tasks": [t.to_dict() for t in self.tasks],
        }


@attrs.frozen
class Sensitivity:
    """A plan's figures on one date under each variant of the method, the plan's own first."""

    plan: Plan
    as_of: dt.date
    variants: tuple[Variant, ...]

    def to_dict(self) -> dict[str, Any]:
        """The JSON output of ``vpcp-indicators sensitivity --format json``."""
        return {
            "plan": self.plan.id,
            "as_of": self.as_of.isoformat(),
            "variants": [v.to_dict() for v in self.variants],
        }
