"""Progress counters stored per task (SamplingTask.sampled_count, tested_count, failed_count, published_count).

One place keeps them right: statement-level PostgreSQL triggers on sampling_sample (AFTER INSERT / UPDATE /
DELETE with transition tables, AFTER TRUNCATE), declared on the models with pgtrigger. Whatever writes a
sample — a service, the import's set-based upserts, the demo loader, a bulk UPDATE, psql — moves the counters
by the difference between the old and the new rows of that statement, once per statement, so a bulk load of
thousands of rows costs one grouped UPDATE of its tasks. The semantics are those of the grouped count the task
list used to run: voided samples (作废) are not counted; tested = final_verdict <> ''; failed = final_verdict =
'fail'; published = is_published.

Nothing else may write the counters: a row trigger on sampling_samplingtask (task_progress_guard) keeps the
stored values on every UPDATE (and writes zeros on INSERT) unless the write comes from one of the triggers above
(pg_trigger_depth() > 1) or from the recount (``RECOUNT_SETTING`` set for the transaction). So a task saved
from a stale instance, or a bulk UPDATE of tasks, cannot overwrite them. CHECK constraints refuse negative or
inconsistent counters, so a delta applied to a wrong stored value fails loudly instead of drifting.

The loads that switch user triggers off (core.scale.bulk_load, bench) fill the counters with
``RECOUNT_SQL`` at the end; ``sampling.services.rebuild.recount_task_progress`` (manage.py
recount_task_progress) recomputes every task and reports the ones that differed.

This module holds SQL only (models.py imports it): no model imports here.
"""

from __future__ import annotations

COUNTERS = ("sampled_count", "tested_count", "failed_count", "published_count")
# Set (locally, for one transaction) by the recount so that the guard lets it write the counters.
RECOUNT_SETTING = "sampling.task_progress_recount"


def _apply_deltas(rows_sql: str) -> str:
    """Trigger body: add the signed rows of ``rows_sql`` (task_id, final_verdict, is_published, n) to their
    tasks' counters. Tasks whose four deltas are all zero are neither locked nor written; the others are locked
    in id order first, so two statements changing the same tasks wait for each other instead of deadlocking."""
    deltas = f"""
        SELECT c.task_id,
               sum(c.n) AS sampled,
               sum(CASE WHEN c.final_verdict <> '' THEN c.n ELSE 0 END) AS tested,
               sum(CASE WHEN c.final_verdict = 'fail' THEN c.n ELSE 0 END) AS failed,
               sum(CASE WHEN c.is_published THEN c.n ELSE 0 END) AS published
          FROM ({rows_sql}) c
         GROUP BY c.task_id
        HAVING (sum(c.n),
                sum(CASE WHEN c.final_verdict <> '' THEN c.n ELSE 0 END),
                sum(CASE WHEN c.final_verdict = 'fail' THEN c.n ELSE 0 END),
                sum(CASE WHEN c.is_published THEN c.n ELSE 0 END)) <> (0, 0, 0, 0)
    """
    return f"""
    PERFORM 1 FROM sampling_samplingtask t
     WHERE t.id IN (SELECT task_id FROM ({deltas}) l)
     ORDER BY t.id
       FOR NO KEY UPDATE;
    UPDATE sampling_samplingtask t
       SET sampled_count = t.sampled_count + d.sampled,
           tested_count = t.tested_count + d.tested,
           failed_count = t.failed_count + d.failed,
           published_count = t.published_count + d.published
      FROM ({deltas}) d
     WHERE t.id = d.task_id;
    RETURN NULL;
    """


_NEW = "SELECT task_id, final_verdict, is_published, 1 AS n FROM progress_new WHERE voided_at IS NULL"
_OLD = "SELECT task_id, final_verdict, is_published, -1 AS n FROM progress_old WHERE voided_at IS NULL"

ON_INSERT = _apply_deltas(_NEW)
ON_DELETE = _apply_deltas(_OLD)
ON_UPDATE = _apply_deltas(f"{_NEW} UNION ALL {_OLD}")
ON_TRUNCATE = """
    UPDATE sampling_samplingtask
       SET sampled_count = 0, tested_count = 0, failed_count = 0, published_count = 0
     WHERE (sampled_count, tested_count, failed_count, published_count) <> (0, 0, 0, 0);
    RETURN NULL;
"""

GUARD = f"""
    IF pg_trigger_depth() > 1 OR coalesce(current_setting('{RECOUNT_SETTING}', true), '') = 'on' THEN
        RETURN NEW;
    END IF;
    IF TG_OP = 'INSERT' THEN
        NEW.sampled_count := 0;
        NEW.tested_count := 0;
        NEW.failed_count := 0;
        NEW.published_count := 0;
    ELSE
        NEW.sampled_count := OLD.sampled_count;
        NEW.tested_count := OLD.tested_count;
        NEW.failed_count := OLD.failed_count;
        NEW.published_count := OLD.published_count;
    END IF;
    RETURN NEW;
"""

# The counters counted afresh for every task, with the stored ones beside them.
FRESH_SQL = """
    SELECT t.id, t.code,
           t.sampled_count, t.tested_count, t.failed_count, t.published_count,
           coalesce(l.sampled, 0), coalesce(l.tested, 0), coalesce(l.failed, 0), coalesce(l.published, 0)
      FROM sampling_samplingtask t
      LEFT JOIN (SELECT task_id,
                        count(*) AS sampled,
                        count(*) FILTER (WHERE final_verdict <> '') AS tested,
                        count(*) FILTER (WHERE final_verdict = 'fail') AS failed,
                        count(*) FILTER (WHERE is_published) AS published
                   FROM sampling_sample
                  WHERE voided_at IS NULL
                  GROUP BY task_id) l ON l.task_id = t.id
"""
DIFFERING_SQL = f"""
    SELECT * FROM ({FRESH_SQL}) f (id, code, sampled, tested, failed, published,
                                   new_sampled, new_tested, new_failed, new_published)
     WHERE (sampled, tested, failed, published) IS DISTINCT FROM (new_sampled, new_tested, new_failed, new_published)
     ORDER BY id
"""
# Writes the fresh counters of the tasks that differ; returns them as DIFFERING_SQL does (old, then new values).
RECOUNT_SQL = f"""
    WITH f AS ({DIFFERING_SQL})
    UPDATE sampling_samplingtask t
       SET sampled_count = f.new_sampled, tested_count = f.new_tested,
           failed_count = f.new_failed, published_count = f.new_published
      FROM f
     WHERE t.id = f.id
    RETURNING f.id, f.code, f.sampled, f.tested, f.failed, f.published,
              f.new_sampled, f.new_tested, f.new_failed, f.new_published
"""


def recount(cursor) -> list[tuple]:
    """Write the fresh counters of every task that differs (inside the caller's transaction; the guard is let
    through for this statement only). Returns (id, code, 4 stored values, 4 fresh values) per changed task."""
    cursor.execute("SELECT set_config(%s, 'on', true)", [RECOUNT_SETTING])
    try:
        cursor.execute(RECOUNT_SQL)
        rows = cursor.fetchall()
    finally:
        cursor.execute("SELECT set_config(%s, 'off', true)", [RECOUNT_SETTING])
    return sorted(rows)
