"""Fast inserts of many new rows with their django-simple-history rows (a region's participant list).

Django's ``bulk_create`` compiles every value through the ORM (and on SQLite batches 999 parameters), and
simple-history's ``bulk_history_create`` builds a model instance per history row: for 75,000 participants
with consents and applications that is most of a minute of Python. Here each table gets one statement text
per batch, values are read straight from the instances (only dates, times and JSON go through the field's
``get_db_prep_save``), the new ids come back with ``RETURNING`` (as ``bulk_create`` does), and the history rows
(``+``, the user, one timestamp) are written with ``executemany``. On PostgreSQL the ids are taken from the
table's sequence and every row goes by ``COPY``.

:func:`insert_rows` writes plain value tuples without instances or history (a region's interview schedule:
20,000 seats and their codes), by ``COPY`` on PostgreSQL and ``bulk_create`` elsewhere; like ``bulk_create`` it
sends no signals and fills no ``auto_now``/defaults: the caller gives every NOT NULL column.

Same rows as ``bulk_create_with_history``: tests compare the two. Falls back to it on a database that cannot
return ids from a multi-row insert.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

# types whose Python values the database drivers take as they are
_AS_IS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "BooleanField",
    "CharField",
    "ForeignKey",
    "IntegerField",
    "OneToOneField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
    "TextField",
}


def _converter(field) -> Callable | None:
    if field.get_internal_type() in _AS_IS:
        return None
    real = connections[DEFAULT_DB_ALIAS]  # not the thread-local proxy on every value
    return lambda value, f=field: f.get_db_prep_save(value, real)


def _max_params() -> int:
    return 65535 if connection.vendor == "postgresql" else 32766  # SQLite ≥ 3.32


def _values(objs: Sequence[Model], fields: list, attnames: list[str]) -> list[list]:
    convert = [_converter(f) for f in fields]
    plain = all(c is None for c in convert)
    rows = []
    for obj in objs:
        values = [getattr(obj, name) for name in attnames]
        if not plain:
            values = [v if c is None else c(v) for v, c in zip(values, convert, strict=True)]
        rows.append(values)
    return rows


def insert(model: type[Model], objs: Sequence[Model]) -> None:
    """INSERT the new instances (no pk yet) in multi-row statements; each instance gets its id."""
    if not objs:
        return
    meta = model._meta
    for field in meta.concrete_fields:  # auto_now / auto_now_add: the value Django's save would set
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                field.pre_save(obj, add=True)
    if connection.vendor == "postgresql":
        return _copy_with_ids(model, objs)
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    pk = meta.pk
    per_batch = max(1, _max_params() // len(fields))
    rows = _values(objs, fields, [f.attname for f in fields])
    with connection.cursor() as cursor:
        for first in range(0, len(rows), per_batch):
            batch = rows[first : first + per_batch]
            sql = (
                f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES {', '.join([row_sql] * len(batch))} "
                f"RETURNING {quote(pk.column)}"
            )
            cursor.execute(sql, [v for row in batch for v in row])
            ids = [r[0] for r in cursor.fetchall()]
            if len(ids) != len(batch):
                raise RuntimeError(f"{meta.db_table}: {len(ids)} ids for {len(batch)} rows")
            for obj, new_id in zip(objs[first : first + per_batch], ids, strict=True):
                setattr(obj, pk.attname, new_id)
                obj._state.adding = False
                obj._state.db = connection.alias


def insert_history(model: type[Model], objs: Sequence[Model], user=None, when=None) -> None:
    """The «created» history row of each saved instance, as ``bulk_history_create`` writes it."""
    if not objs:
        return
    history = model.history.model
    fields = [f for f in history._meta.concrete_fields if f.attname != "history_id"]
    special = {
        "history_date": when or timezone.now(),
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": getattr(user, "pk", None),
    }
    quote = connection.ops.quote_name
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    source = [f for f in fields if f.attname not in special]
    convert = {f.attname: _converter(f) for f in source}
    constants = {
        name: (history._meta.get_field(name).get_db_prep_save(value, connection) if name == "history_date" else value)
        for name, value in special.items()
    }
    order = [f.attname for f in fields]
    rows = []
    for obj in objs:
        row = []
        for name in order:
            if name in constants:
                row.append(constants[name])
            else:
                value = getattr(obj, name)
                c = convert[name]
                row.append(value if c is None else c(value))
        rows.append(row)
    if connection.vendor == "postgresql":
        _copy(history._meta.db_table, fields, rows)
        return
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _copy(table: str, fields: list, rows: Iterable[Sequence]) -> None:
    """PostgreSQL: the rows by ``COPY … FROM STDIN`` (psycopg 3), far cheaper than INSERT statements."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _copy_with_ids(model: type[Model], objs: Sequence[Model]) -> None:
    """PostgreSQL: ids taken from the table's sequence first (safe beside other writers), then ``COPY``."""
    meta = model._meta
    pk = meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, pk.column, len(objs)],
        )
        ids = [r[0] for r in cursor.fetchall()]
    for obj, new_id in zip(objs, ids, strict=True):
        setattr(obj, pk.attname, new_id)
        obj._state.adding = False
        obj._state.db = connection.alias
    fields = list(meta.concrete_fields)
    _copy(meta.db_table, fields, _values(objs, fields, [f.attname for f in fields]))


def create_with_history(model: type[Model], objs: Sequence[Model], user=None, batch_size: int = 2000) -> None:
    """New instances and their history rows in the current transaction (ids set on the instances)."""
    if not connection.features.can_return_rows_from_bulk_insert:
        bulk_create_with_history(list(objs), model, batch_size=batch_size, default_user=user)
        return
    with transaction.atomic(savepoint=False):
        insert(model, objs)
        insert_history(model, objs, user)


def insert_rows(model: type[Model], fields: Sequence[str], rows: Iterable[Sequence], batch_size: int = 5000) -> None:
    """Insert ``rows`` (tuples in the order of ``fields``, foreign keys by their ``…_id`` attname)."""
    meta = model._meta
    if connection.vendor == "postgresql":
        _copy(meta.db_table, [meta.get_field(f) for f in fields], rows)
        return
    names = [meta.get_field(f).attname for f in fields]
    model.objects.bulk_create((model(**dict(zip(names, row))) for row in rows), batch_size=batch_size)


def refresh_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL's advice after loading data).

    Until autovacuum gets to them, tables just filled count as empty, and the planner then nests loops: an МОУО's
    view of a seed plan (its items reached through their assignments) ran for more than eight minutes over a
    few thousand rows. Inside a transaction ``ANALYZE`` also counts the transaction's own new rows, so a
    loader that has not committed yet gets the statistics too. Other databases keep their own."""
    conn = connections[using]
    if conn.vendor == "postgresql":
        with conn.cursor() as cursor:
            cursor.execute("ANALYZE")
