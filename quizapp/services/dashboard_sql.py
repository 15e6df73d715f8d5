"""SQL building blocks for the mentor dashboards, the same on SQLite and PostgreSQL.

Time arithmetic differs between the two databases, so the few expressions the
dashboards need are small SQLAlchemy constructs compiled per dialect:

- `elapsed_days(later, earlier)`: days between two timestamps, as a float;
- `shift_days(ts, n)`: `ts` moved `n` (possibly negative) whole days;
- `retrievability(...)`: the FSRS-6 forgetting curve, with py-fsrs's own
  constants and its rule of counting whole elapsed days.
"""

from __future__ import annotations

from typing import Any

from fsrs import Scheduler
from sqlalchemy import Float, case, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

# py-fsrs: R(t, S) = (1 + FACTOR * t / S) ** DECAY, t in whole days (FSRS-6).
_FSRS = Scheduler()
DECAY: float = float(_FSRS._DECAY)
FACTOR: float = float(_FSRS._FACTOR)


class elapsed_days(FunctionElement[float]):  # noqa: N801 (SQL function style)
    """`later - earlier` in days (fractional)."""

    type = Float()
    inherit_cache = True
    name = "elapsed_days"


@compiles(elapsed_days, "sqlite")
def _elapsed_days_sqlite(element: elapsed_days, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"(julianday({compiler.process(later, **kw)})"
        f" - julianday({compiler.process(earlier, **kw)}))"
    )


@compiles(elapsed_days, "postgresql")
def _elapsed_days_postgresql(element: elapsed_days, compiler: SQLCompiler, **kw: Any) -> str:
    later, earlier = list(element.clauses)
    return (
        f"(EXTRACT(EPOCH FROM ({compiler.process(later, **kw)})"
        f" - ({compiler.process(earlier, **kw)})) / 86400.0)"
    )


class shift_days(FunctionElement[Any]):  # noqa: N801
    """A timestamp moved by a whole number of days (the second argument)."""

    inherit_cache = True
    name = "shift_days"

    @property
    def type(self) -> Any:  # the type of the timestamp argument
        return list(self.clauses)[0].type


@compiles(shift_days, "sqlite")
def _shift_days_sqlite(element: shift_days, compiler: SQLCompiler, **kw: Any) -> str:
    ts, days = list(element.clauses)
    # Keep SQLite's stored text format (with microseconds) so comparisons with
    # stored values stay correct as plain string comparisons.
    return (
        f"strftime('%Y-%m-%d %H:%M:%f000', {compiler.process(ts, **kw)},"
        f" ({compiler.process(days, **kw)}) || ' days')"
    )


@compiles(shift_days, "postgresql")
def _shift_days_postgresql(element: shift_days, compiler: SQLCompiler, **kw: Any) -> str:
    ts, days = list(element.clauses)
    return f"({compiler.process(ts, **kw)} + ({compiler.process(days, **kw)}) * INTERVAL '1 day')"


def retrievability(
    stability: ColumnElement[Any], last_review: ColumnElement[Any], at: ColumnElement[Any]
) -> ColumnElement[float]:
    """FSRS-6 retrievability of a card at `at`, like `Scheduler.get_card_retrievability`.

    Whole elapsed days, never negative; NULL for a card without a memory state.
    """
    days = func.floor(elapsed_days(at, last_review))
    days = case((days < 0, literal(0.0)), else_=days)
    return func.power(1.0 + FACTOR * days / stability, DECAY)
