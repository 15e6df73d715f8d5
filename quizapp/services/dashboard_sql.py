"""SQL building blocks for the mentor dashboards, the same on SQLite and PostgreSQL.

Time arithmetic differs between the two databases, so the few expressions the
dashboards need are small SQLAlchemy constructs compiled per dialect:

- `epoch_days(ts)`: a timestamp as fractional days since the Unix epoch;
- `shift_days(ts, n)`: `ts` moved `n` (possibly negative) whole days;
- `retrievability(...)`: the FSRS-6 forgetting curve, with py-fsrs's own
  constants and its rule of counting whole elapsed days.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fsrs import Scheduler
from sqlalchemy import Float, func, literal
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

# py-fsrs: R(t, S) = (1 + FACTOR * t / S) ** DECAY, t in whole days (FSRS-6).
_FSRS = Scheduler()
DECAY: float = float(_FSRS._DECAY)
FACTOR: float = float(_FSRS._FACTOR)


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


class epoch_days(FunctionElement[float]):  # noqa: N801
    """A timestamp as (fractional) days since 1970-01-01 UTC."""

    type = Float()
    inherit_cache = True
    name = "epoch_days"


@compiles(epoch_days, "sqlite")
def _epoch_days_sqlite(element: epoch_days, compiler: SQLCompiler, **kw: Any) -> str:
    (ts,) = list(element.clauses)
    return f"(julianday({compiler.process(ts, **kw)}) - 2440587.5)"


@compiles(epoch_days, "postgresql")
def _epoch_days_postgresql(element: epoch_days, compiler: SQLCompiler, **kw: Any) -> str:
    (ts,) = list(element.clauses)
    return f"(EXTRACT(EPOCH FROM {compiler.process(ts, **kw)}) / 86400.0)"


class greatest(FunctionElement[float]):  # noqa: N801
    type = Float()
    inherit_cache = True
    name = "greatest"


@compiles(greatest)
def _greatest_default(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"GREATEST({compiler.process(element.clauses, **kw)})"


@compiles(greatest, "sqlite")
def _greatest_sqlite(element: greatest, compiler: SQLCompiler, **kw: Any) -> str:
    return f"max({compiler.process(element.clauses, **kw)})"


def days_since_epoch(moment: datetime) -> float:
    return moment.timestamp() / 86400.0


def retrievability(
    stability: ColumnElement[Any], last_review: ColumnElement[Any], at: datetime
) -> ColumnElement[float]:
    """FSRS-6 retrievability of a card at `at`, like `Scheduler.get_card_retrievability`:
    whole elapsed days, never negative. `at` is a constant, so each row parses one
    timestamp (the query runs over every studied card of the cohort)."""
    elapsed = func.floor(literal(days_since_epoch(at), Float()) - epoch_days(last_review))
    return func.power(1.0 + FACTOR * greatest(literal(0.0, Float()), elapsed) / stability, DECAY)
