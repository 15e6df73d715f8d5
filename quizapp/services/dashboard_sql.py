"""SQL building blocks for the mentor dashboards, the same on SQLite and PostgreSQL.

Time arithmetic differs between the two databases, so the few expressions the
dashboards need are small SQLAlchemy constructs compiled per dialect:

- `whole_days(x)`: the whole days in an amount of days (0 if negative);
- `retrievability(...)`: the FSRS-6 forgetting curve, with py-fsrs's own
  constants and its rule of counting whole elapsed days;
- `STUDIED_BY_CATEGORY`: mastery's raw figures (the dashboard's and the progress page's).
"""

from __future__ import annotations

from typing import Any

from fsrs import Scheduler
from sqlalchemy import Float, Integer, bindparam, func, select, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

from quizapp.data.models import STUDIED_CARD, CardState

# py-fsrs: R(t, S) = (1 + FACTOR * t / S) ** DECAY, t in whole days (FSRS-6).
_FSRS = Scheduler()
DECAY: float = float(_FSRS._DECAY)
FACTOR: float = float(_FSRS._FACTOR)


class whole_days(FunctionElement[int]):  # noqa: N801
    """The whole days in an amount of days, 0 for a negative amount."""

    type = Integer()
    inherit_cache = True
    name = "whole_days"


@compiles(whole_days, "sqlite")
def _whole_days_sqlite(element: whole_days, compiler: SQLCompiler, **kw: Any) -> str:
    # CAST truncates, which is floor for a non-negative amount. (Not floor(): SQLAlchemy
    # replaces SQLite's with a Python function, called once per row.)
    return f"CAST(max(0.0, {compiler.process(element.clauses, **kw)}) AS INTEGER)"


@compiles(whole_days, "postgresql")
def _whole_days_postgresql(element: whole_days, compiler: SQLCompiler, **kw: Any) -> str:
    return f"floor(GREATEST(0.0, {compiler.process(element.clauses, **kw)}))"


def retrievability(
    stability: ColumnElement[Any], last_review_days: ColumnElement[Any], at_days: ColumnElement[Any]
) -> ColumnElement[float]:
    """FSRS-6 retrievability of a card at a moment, both given in days since the epoch
    (`quizapp.data.base.epoch_days`), like `Scheduler.get_card_retrievability`: whole
    elapsed days, never negative."""
    elapsed = whole_days(at_days - last_review_days)
    return func.power(1.0 + FACTOR * elapsed / stability, DECAY)


# Per user (:ids) and category: the studied cards of the study selection and their
# summed recall at :now_days (`epoch_days`). Retired questions' cards are unselected by
# the content build; the partial index holds just these cards (its WHERE text is this).
STUDIED_BY_CATEGORY = (
    select(
        CardState.user_id,
        CardState.category,
        func.count(),
        func.sum(
            retrievability(
                CardState.stability, CardState.last_review_days, bindparam("now_days", type_=Float)
            )
        ),
    )
    .where(CardState.user_id.in_(bindparam("ids", expanding=True)), text(STUDIED_CARD))
    .group_by(CardState.user_id, CardState.category)
    .with_hint(CardState, "INDEXED BY ix_card_states_mastery", "sqlite")
)
