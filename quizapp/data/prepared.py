"""Statements of the review loop, run straight on the DBAPI cursor.

Every answer runs the same seven statements. Through `Connection.execute` each
costs SQLAlchemy 40-150 µs on top of the 5-40 µs the database takes (execution
context, parameter and result objects), which made SQLAlchemy the larger part of
an answer. A `Prepared` statement is still written and compiled by SQLAlchemy,
once per dialect, and its values still go through SQLAlchemy's own type
conversions (`TypeEngine.bind_processor` / `result_processor`), so rows come back
as `Connection.execute` would give them; only the per-call machinery is skipped.

It runs on the DBAPI connection of the given `Connection`, in that connection's
transaction, and raises SQLAlchemy's exception types (`IntegrityError`, ...).
Statements that need SQLAlchemy at execution time are refused when first compiled:
parameters expanded per call (`IN` lists, literal parameters) and column defaults
computed in Python. SQLAlchemy's statement events and `echo` logging do not see
these statements (SQLite's trace callback does: `bench/review.py --profile`).
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import Executable
from sqlalchemy.sql.compiler import SQLCompiler

Convert = Callable[[Any], Any]


class _Plan:
    """One statement compiled for one dialect."""

    __slots__ = (
        "sql", "names", "pick", "positional", "defaults", "binds", "columns", "row", "results",
    )  # fmt: skip

    def __init__(self, statement: Any, dialect: Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("a prepared statement cannot have parameters expanded per execution")
        if compiled.insert_prefetch or compiled.update_prefetch:
            raise ValueError("a prepared statement cannot leave Python-side defaults to compute")
        self.sql: str = compiled.string
        self.positional = compiled.positional
        # Names as the SQL text spells them (some dialects escape unusual names).
        escaped: Mapping[str, str] = compiled.escaped_bind_names or {}
        names = compiled.positiontup if self.positional else list(compiled.binds)
        self.names: tuple[tuple[str, str], ...] = tuple(
            (name, escaped.get(name, name)) for name in names or ()
        )
        # Positional parameters in SQL order, picked in one C call (a name can repeat).
        ordered = [name for name, _ in self.names]
        picker = itemgetter(*ordered) if ordered else (lambda _values: ())
        self.pick: Callable[[dict[str, Any]], Any] = (
            picker if len(ordered) != 1 else (lambda values: (picker(values),))
        )
        self.defaults = {
            name: bind.value for name, bind in compiled.binds.items() if not bind.required
        }
        self.binds: dict[str, Convert] = {}
        for name, bind in compiled.binds.items():
            convert = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if convert is not None:
                self.binds[name] = convert
        self.columns = list(getattr(statement, "selected_columns", None) or ())
        keys = [
            getattr(column, "key", None) or f"column{i}" for i, column in enumerate(self.columns)
        ]
        self.row: Any = namedtuple("Row", keys, rename=True)  # type: ignore[misc]
        self.results: list[tuple[int, Convert]] | None = None  # from the first cursor

    def parameters(self, given: Mapping[str, Any]) -> Any:
        values = {**self.defaults, **given}
        for name, convert in self.binds.items():
            values[name] = convert(values[name])
        if self.positional:
            return self.pick(values)
        return {escaped: values[name] for name, escaped in self.names}

    def result_conversions(self, description: Any, dialect: Dialect) -> list[tuple[int, Convert]]:
        conversions = []
        for index, (column, described) in enumerate(zip(self.columns, description, strict=True)):
            convert = column.type.dialect_impl(dialect).result_processor(dialect, described[1])
            if convert is not None:
                conversions.append((index, convert))
        return conversions


class Prepared:
    """A Core statement SQLAlchemy compiles once per dialect, run on the DBAPI cursor."""

    __slots__ = ("statement", "_plans")

    def __init__(self, statement: Executable) -> None:
        self.statement = statement
        self._plans: dict[tuple[Any, ...], _Plan] = {}

    def _plan(self, dialect: Dialect) -> _Plan:
        key = (type(dialect), dialect.paramstyle, dialect.server_version_info)
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = _Plan(self.statement, dialect)
        return plan

    def _run(self, connection: Connection, params: Mapping[str, Any]) -> tuple[Any, _Plan]:
        if not connection.in_transaction():
            raise RuntimeError("prepared statements run inside the connection's transaction")
        dialect = connection.dialect
        plan = self._plan(dialect)
        arguments = plan.parameters(params)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(plan.sql, arguments)
        except dialect.loaded_dbapi.Error as error:
            cursor.close()
            raise DBAPIError.instance(
                plan.sql, arguments, error, dialect.loaded_dbapi.Error, dialect=dialect
            ) from error
        return cursor, plan

    def first(self, connection: Connection, params: Mapping[str, Any]) -> Any | None:
        """The first row (a named tuple, converted as SQLAlchemy would), or None."""
        cursor, plan = self._run(connection, params)
        try:
            raw = cursor.fetchone()
            if raw is None:
                return None
            if plan.results is None:
                plan.results = plan.result_conversions(cursor.description, connection.dialect)
        finally:
            cursor.close()
        if plan.results:
            values = list(raw)
            for index, convert in plan.results:
                values[index] = convert(values[index])
            raw = values
        return plan.row._make(raw)

    def run(self, connection: Connection, params: Mapping[str, Any]) -> int:
        """Execute; the number of rows the statement matched."""
        cursor, _ = self._run(connection, params)
        try:
            count: int = cursor.rowcount
        finally:
            cursor.close()
        return count
