"""Fixed Core statements run straight on the driver's cursor: the check path's writes and hot reads.

Every check writes its hits and one audit event (three statements: the chain's head, the event, the new
head). Through ``Connection.execute`` each statement pays SQLAlchemy's per-execution work (cache key,
execution context, result set-up, events), which on this hardware costs several times what SQLite itself
spends on these one-row statements. A :class:`DirectStatement` compiles its Core statement once per dialect
and set of parameter names, keeps the column types' bind processors (JSON, UTC timestamps, ...), and then
only converts the parameters and calls the DBAPI cursor, inside the connection's current transaction.

The person check's reads (key counts, the shortlist, the shortlisted records) go the same way: with
IN lists of a fixed size class (``list_size``, ``list_params``) each is compiled a handful of times, not
at every check.

What it does not do, on purpose: no Python-side column defaults (a column with a default must be given,
or :class:`DirectStatement` raises instead of writing the wrong value) and no SQLAlchemy cursor events.
Driver errors come out as SQLAlchemy's own exception classes, as from ``Connection.execute``.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, CompoundSelect, Connection, Select, Table, bindparam
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert, Update
from sqlalchemy.sql.elements import ClauseElement


@dataclass(frozen=True)
class _Compiled:
    sql: str
    # For a positional paramstyle (SQLite's qmark), the parameter names in the statement's order.
    order: tuple[str, ...] | None
    fixed: dict[str, Any]
    processors: dict[str, Callable[[Any], Any]]
    # For a SELECT: a named-tuple type of its result columns and each column's result processor (or None).
    row_type: Any = None
    results: tuple[Callable[[Any], Any] | None, ...] = ()


class DirectStatement:
    """A Core statement compiled once per (dialect, parameter names), executed on the DBAPI cursor."""

    def __init__(self, statement: ClauseElement, *, sqlite_index: tuple[str, str] | None = None) -> None:
        """``sqlite_index`` = (table, index): on SQLite, the statement reads ``table INDEXED BY index``, for
        a read whose covering index SQLite's planner would pass over for a narrower unique one (SQLAlchemy's
        SQLite dialect writes no such hint itself). SQLite refuses the statement if the index is missing
        or cannot serve it, rather than reading otherwise."""
        self.statement = statement
        self.sqlite_index = sqlite_index
        self._compiled: dict[tuple[str, tuple[str, ...]], _Compiled] = {}

    def _compile(self, connection: Connection, names: tuple[str, ...]) -> _Compiled:
        dialect = connection.dialect
        key = (dialect.name, names)
        found = self._compiled.get(key)
        if found is not None:
            return found
        statement = self.statement
        column_keys = list(names) if isinstance(statement, Insert | Update) else None
        if isinstance(statement, Insert):
            table = statement.table
            assert isinstance(table, Table)
            missing = [c.name for c in table.columns if c.default is not None and c.name not in names]
            if missing:
                raise ValueError(f"DirectStatement on {table.name}: give the defaulted columns {missing}")
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        assert isinstance(compiled, SQLCompiler)
        fixed = {
            name: bind.effective_value
            for name, bind in compiled.binds.items()
            if name not in names and not bind.required
        }
        processors: dict[str, Callable[[Any], Any]] = {}
        for name, bind in compiled.binds.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if process is not None:
                processors[name] = process
        order = tuple(compiled.positiontup) if compiled.positional and compiled.positiontup else None
        row_type: Any = None
        results: tuple[Callable[[Any], Any] | None, ...] = ()
        if isinstance(statement, Select | CompoundSelect):
            columns = list(statement.selected_columns)
            row_type = namedtuple("Row", [c.key for c in columns])  # type: ignore[misc,no-redef]
            # Only ``rows`` converts values; a type whose result processor needs the driver's column type
            # (a float sum on psycopg) is left to ``execute``, which returns the driver's values.
            try:
                results = tuple(c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns)
            except (TypeError, ValueError):
                results = (None,) * len(columns)
        sql = compiled.string
        if self.sqlite_index is not None and dialect.name == "sqlite":
            read, index = self.sqlite_index
            named = f"FROM {read} \n"
            if sql.count(named) != 1:
                raise ValueError(f"DirectStatement: no single 'FROM {read}' to read by {index}")
            sql = sql.replace(named, f"FROM {read} INDEXED BY {index} \n")
        found = _Compiled(sql, order, fixed, processors, row_type, results)
        self._compiled[key] = found
        return found

    def _params(self, compiled: _Compiled, values: Mapping[str, Any]) -> Any:
        merged = {**compiled.fixed, **values} if compiled.fixed else dict(values)
        for name, process in compiled.processors.items():
            if name in merged:
                merged[name] = process(merged[name])
        if compiled.order is None:
            return merged
        return tuple(merged[name] for name in compiled.order)

    def execute(
        self, connection: Connection, values: Mapping[str, Any] | None = None
    ) -> list[tuple[Any, ...]]:
        """Run once with ``values``; return the rows it selected or returned (none for a plain write)."""
        values = values or {}
        compiled = self._compile(connection, tuple(sorted(values)))
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(compiled.sql, self._params(compiled, values))
            return list(cursor.fetchall()) if cursor.description else []
        except connection.dialect.loaded_dbapi.Error as exc:
            raise driver_error(connection, compiled.sql, exc) from exc
        finally:
            cursor.close()

    def rows(self, connection: Connection, values: Mapping[str, Any] | None = None) -> list[Any]:
        """Run a SELECT; return its rows as named tuples (``row.number``), values converted by the column
        types as SQLAlchemy's own rows are (dates stored as text on SQLite come back as dates)."""
        values = values or {}
        compiled = self._compile(connection, tuple(sorted(values)))
        if compiled.row_type is None:
            raise TypeError("DirectStatement.rows is for SELECT statements")
        make = compiled.row_type._make
        processors = compiled.results
        if not any(processors):
            return [make(raw) for raw in self.execute(connection, values)]
        return [
            make([value if p is None else p(value) for p, value in zip(processors, raw, strict=True)])
            for raw in self.execute(connection, values)
        ]

    def execute_many(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Run once per row (``executemany``); every row must name the same parameters."""
        if not rows:
            return
        names = tuple(sorted(rows[0]))
        if any(tuple(sorted(row)) != names for row in rows):
            raise ValueError("DirectStatement.execute_many: every row must name the same parameters")
        compiled = self._compile(connection, names)
        cursor = connection.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(compiled.sql, [self._params(compiled, row) for row in rows])
        except connection.dialect.loaded_dbapi.Error as exc:
            raise driver_error(connection, compiled.sql, exc) from exc
        finally:
            cursor.close()


def driver_error(connection: Connection, sql: str, error: Exception) -> BaseException:
    """A driver's exception as SQLAlchemy would raise it from ``Connection.execute`` (IntegrityError, ...)."""
    dbapi_error = connection.dialect.loaded_dbapi.Error
    return DBAPIError.instance(sql, None, error, dbapi_error, dialect=connection.dialect)


# IN lists of a DirectStatement have a fixed number of parameters: a statement is compiled for each size
# class (a power of two, at least MIN_LIST), and the values are padded to it by repeating the last one,
# which changes nothing an IN test selects. Ten-odd compiled statements cover lists of 1 to 1,024 values.
MIN_LIST = 8
MAX_LIST = 1024


def list_size(count: int) -> int:
    """The parameter count of the statement compiled for an IN list of ``count`` values.

    >>> list_size(1), list_size(9), list_size(150)
    (8, 16, 256)
    """
    if count > MAX_LIST:
        raise ValueError(f"an IN list of {count} values: chunk it to at most {MAX_LIST}")
    size = MIN_LIST
    while size < count:
        size *= 2
    return size


def list_binds(prefix: str, size: int, type_: Any = None) -> list[BindParameter[Any]]:
    """The parameters ``{prefix}0`` .. ``{prefix}{size - 1}`` of an IN list (``list_params`` gives their
    values)."""
    return [bindparam(f"{prefix}{i}", type_=type_) for i in range(size)]


def list_params(prefix: str, values: Sequence[Any], size: int) -> dict[str, Any]:
    """Bind values ``{prefix}0`` .. ``{prefix}{size - 1}`` for an IN list, padded with the last value.

    >>> list_params("id", ["a", "b"], 4)
    {'id0': 'a', 'id1': 'b', 'id2': 'b', 'id3': 'b'}
    """
    if not values or len(values) > size:
        raise ValueError(f"{len(values)} values for an IN list of {size}")
    last = values[-1]
    return {f"{prefix}{i}": values[i] if i < len(values) else last for i in range(size)}


def chunks(values: Sequence[Any], size: int = MAX_LIST) -> list[Sequence[Any]]:
    """``values`` cut into pieces of at most ``size`` (IN lists of a DirectStatement)."""
    return [values[start : start + size] for start in range(0, len(values), size)]
