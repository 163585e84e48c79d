"""Counters the news benchmark adds up per article, per language and overall.

:class:`Tally` is a set-matching count (gold items found, predicted items that are right),
:class:`Acc` an accuracy over matched pairs.  Both add with ``+`` and turn into plain dicts.
A ratio whose denominator is zero is ``None`` (shown as ``-``), never a made-up 0 or 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _ratio(num: int, den: int) -> float | None:
    return num / den if den else None


@dataclass(slots=True)
class Tally:
    """``gold_hit`` of ``gold`` gold items were found; ``pred_ok`` of ``pred`` predictions
    were right.  With one-to-one matching ``gold_hit == pred_ok``."""

    gold_hit: int = 0
    gold: int = 0
    pred_ok: int = 0
    pred: int = 0

    def __add__(self, other: "Tally") -> "Tally":
        return Tally(self.gold_hit + other.gold_hit, self.gold + other.gold,
                     self.pred_ok + other.pred_ok, self.pred + other.pred)

    @property
    def recall(self) -> float | None:
        return _ratio(self.gold_hit, self.gold)

    @property
    def precision(self) -> float | None:
        return _ratio(self.pred_ok, self.pred)

    @property
    def f1(self) -> float | None:
        """Harmonic mean; 0 when only one side has items (nothing found / all spurious)."""
        p, r = self.precision, self.recall
        if p is None and r is None:
            return None
        p, r = p or 0.0, r or 0.0
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    def to_dict(self) -> dict[str, Any]:
        return {"gold": self.gold, "gold_hit": self.gold_hit, "pred": self.pred,
                "pred_ok": self.pred_ok, "precision": self.precision, "recall": self.recall,
                "f1": self.f1}


@dataclass(slots=True)
class Acc:
    """``correct`` of ``total`` matched pairs had the field right."""

    correct: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.correct += int(ok)

    def __add__(self, other: "Acc") -> "Acc":
        return Acc(self.correct + other.correct, self.total + other.total)

    @property
    def value(self) -> float | None:
        return _ratio(self.correct, self.total)

    def to_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": self.value}


# Metric names, in report order.
TALLIES: tuple[str, ...] = (
    "incidents.typed", "incidents.untyped", "incidents.typed.current", "incidents.untyped.current",
    "event.targets", "event.perpetrators", "figures", "groups", "people", "quotes",
)
ACCURACIES: tuple[str, ...] = (
    "event.killed", "event.killed.loose", "event.wounded", "event.wounded.loose", "event.date",
    "event.country", "event.perpetrator", "event.status", "figures.claimant", "quotes.speaker",
)
