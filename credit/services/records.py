"""Credit records from the ledger (信用记录): set-based INSERT … SELECT of the facts credit knows, and the
class recomputation that follows. Safe to run twice: records are keyed by their fact."""

from __future__ import annotations

from django.db import connection, transaction

from credit.kinds import AMOUNT_KINDS, ENDING_KINDS, active_record_kinds, variant_sql
from credit.models import CreditState

WATERMARK_KEY = "records"
# Facts are numbered when inserted but may commit out of order: each run looks this many ids back (the
# insert is idempotent), and the nightly full recompute catches anything older.
LOOKBACK_IDS = 5000

_AMOUNT = r"^-?[0-9]+(\.[0-9]+)?$"


def _insert_sql(returning: bool) -> str:
    return f"""
        INSERT INTO credit_creditrecord (fact_id, enterprise_id, region_code, kind, variant, occurred_on,
                                         source_type, source_id, source_label, summary, amount, created_at)
        SELECT f.id, f.enterprise_id, f.region_code, f.kind, {variant_sql()}, f.occurred_on,
               f.source_type, f.source_id, f.source_label, f.summary,
               CASE WHEN f.kind = ANY(%(amount_kinds)s) AND f.data->>'fine' ~ '{_AMOUNT}'
                    THEN (f.data->>'fine')::numeric(14, 2) END,
               clock_timestamp()
          FROM core_enterprisefact f
         WHERE f.kind = ANY(%(kinds)s) AND f.id > %(after)s AND f.id <= %(upto)s
        ON CONFLICT (fact_id) DO NOTHING
        {"RETURNING enterprise_id" if returning else ""}
    """


# A later fact that ends a record (credit.removed ends credit.listed) stops it scoring from its date.
_END_SQL = """
    UPDATE credit_creditrecord r SET ended_on = e.occurred_on
      FROM core_enterprisefact e
     WHERE e.ends_id = r.fact_id AND e.kind = ANY(%(ending)s) AND e.id > %(after)s AND e.id <= %(upto)s
       AND (r.ended_on IS NULL OR r.ended_on > e.occurred_on)
    RETURNING r.enterprise_id
"""


def take_up_facts(*, full: bool = False) -> tuple[int, set[int] | None]:
    """Turn new facts into records (all facts when ``full``). Returns (records added, enterprises touched;
    None after a full run, which touches every enterprise)."""
    kinds = active_record_kinds()
    with transaction.atomic():
        state, _created = CreditState.objects.select_for_update().get_or_create(key=WATERMARK_KEY)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COALESCE(MAX(id), 0) FROM core_enterprisefact")
            upto = cursor.fetchone()[0]
            after = 0 if full else max(0, state.watermark - LOOKBACK_IDS)
            params = {
                "kinds": kinds,
                "amount_kinds": list(AMOUNT_KINDS),
                "ending": list(ENDING_KINDS),
                "after": after,
                "upto": upto,
            }
            touched: set[int] = set()
            added = 0
            if kinds:
                cursor.execute(_insert_sql(returning=not full), params)
                if full:
                    added = cursor.rowcount
                else:
                    rows = cursor.fetchall()
                    added = len(rows)
                    touched.update(row[0] for row in rows)
            cursor.execute(_END_SQL, params)
            touched.update(row[0] for row in cursor.fetchall())
        if upto > state.watermark:
            state.watermark = upto
            state.save(update_fields=["watermark", "updated_at"])
    return added, (None if full else touched)
