"""Bulk writes through a staging table: rows go in with ``COPY FROM STDIN`` (psycopg's C dumpers, not one bound
parameter per value), then one ``INSERT … SELECT`` moves them into the real table through Django's cursor, so its
constraints, history triggers and audit context apply as to any other write. The staging table is temporary, has
no triggers, is created once per transaction and dropped at its commit."""

from __future__ import annotations

from collections.abc import Iterable


def copy_to_staging(cursor, table: str, columns: Iterable[tuple[str, str]], rows: Iterable[tuple]) -> None:
    """Fill the temporary ``table`` (quoted name) of ``columns`` — (quoted name, SQL type) pairs — with ``rows``,
    emptying what an earlier statement of the transaction left there."""
    columns = list(columns)
    cursor.execute(
        f"CREATE TEMP TABLE IF NOT EXISTS {table} ({', '.join(f'{name} {kind}' for name, kind in columns)}) "
        "ON COMMIT DROP"
    )
    cursor.execute(f"TRUNCATE {table}")
    with cursor.cursor.copy(f"COPY {table} ({', '.join(name for name, _kind in columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
