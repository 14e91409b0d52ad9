"""Fast inserts for the few writes that touch thousands of rows at once (orders applied to whole
units, the history of those writes, the demo roster).

`insert(objs)` writes unsaved model instances with one prepared INSERT run by `executemany`:
the values Django's `bulk_create` would write (field defaults, `auto_now_add`, field
conversions such as encryption or JSON), without its per-row SQL assembly, which is most of its
cost. Like `bulk_create` it sends no signals and calls no `save()`; unlike it, it does not read
back primary keys: callers that need them query them by a natural key afterwards.
"""

from django.db import connections, router

BATCH = 2000


def insert(objs, *, using=None):
    """Insert unsaved instances of one model. Returns how many rows were written."""
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    meta = model._meta
    if meta.parents:
        raise TypeError("insert() cannot write models with multi-table inheritance")
    db = using or router.db_for_write(model)
    connection = connections[db]
    fields = [f for f in meta.local_concrete_fields
              if not (f.primary_key and getattr(f, "db_returning", False))]
    quote = connection.ops.quote_name
    sql = (f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    rows = []
    for obj in objs:
        if type(obj) is not model:
            raise TypeError(f"insert() takes instances of one model, not {type(obj)} and {model}")
        row = []
        for field in fields:
            value = field.pre_save(obj, True)
            if hasattr(value, "resolve_expression"):
                raise TypeError(f"insert() writes plain values; {field.name} is an expression")
            row.append(field.get_db_prep_save(value, connection))
        rows.append(row)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start:start + BATCH])
    return len(rows)
