"""Insert many plain rows fast: ``COPY … FROM STDIN`` on PostgreSQL (psycopg 3), ``bulk_create`` elsewhere.

For region-sized writes (a schedule's 20,000 seats, their codes) Django's ``bulk_create`` spends most of
its time building model instances and preparing 20,000 × fields parameters; COPY streams the values. Like
``bulk_create`` it sends no signals and writes no history rows, and it fills no ``auto_now``/defaults:
the caller gives every NOT NULL column.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import connections, models, router


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence], batch_size: int = 5000):
    """Insert ``rows`` (tuples in the order of ``fields``, foreign keys by their ``…_id`` attname)."""
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor == "postgresql":
        qn = connection.ops.quote_name
        columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
        sql = f"COPY {qn(model._meta.db_table)} ({columns}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        return
    names = [model._meta.get_field(f).attname for f in fields]
    model.objects.using(alias).bulk_create((model(**dict(zip(names, row))) for row in rows), batch_size=batch_size)
