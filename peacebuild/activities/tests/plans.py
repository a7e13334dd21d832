"""The plan a database makes for a captured query, as one line of text to search."""

from django.db import connection


def query_plan(sql: str) -> str:
    """PostgreSQL's EXPLAIN or SQLite's EXPLAIN QUERY PLAN of sql (params already in it,
    as CaptureQueriesContext gives it)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN {sql}")
            return " ".join(line for (line,) in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
        return " ".join(str(row[-1]) for row in cursor.fetchall())
