"""Synthetic data at scale, generated in SQL (INSERT … SELECT generate_series), for `generate_scale` and bench/.

Core owns the enterprises and the machinery; each app's ``scale.py`` registers the step that fills its own
tables (``register``), found by ``autodiscover`` like Django's admin modules, so core names no app. The
distributions follow the 2017 national sampling (DOMAIN.md, seeds): enterprise sizes 10.1 / 18.8 / 71.1 %
(large / medium / small and micro), pass rates 96.7 / 93.8 / 90.0 % by size and 90.9 / 93.0 / 92.7 % by zone.

Generated rows carry markers (USCC letter, number prefixes, ``source_type``) so that they can be told apart
from a bureau's own records: ``foreign_rows`` counts the others, and nothing here touches them.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

# Every active county of the country (None), or the counties of these provinces.
ALL_PROVINCES: list[str] | None = None
# Position 9 of the generated USCCs (after '91' and the county): 'Z' is not in the USCC alphabet, so no real
# or imported code collides.
SCALE_MARK = "Z"

# Size shares of the sampled enterprises in 2017 (大 10.1 %, 中 18.8 %, 小 71.1 %; small split into small/micro),
# as a 1000-slot table indexed by a hash of the enterprise number.
SIZE_SHARES = [("large", 101), ("medium", 188), ("small", 431), ("micro", 280)]

NAME_WORDS = [
    "华兴", "鑫达", "恒通", "宏远", "金源", "瑞丰", "永盛", "天成", "中兴", "博雅",
    "德信", "嘉禾", "新锐", "盛世", "国泰", "安康", "东方", "银河", "凯旋", "福瑞",
    "长青", "隆昌", "万家", "正大", "汇通", "明辉", "佳和", "泰和", "远航", "富源",
]  # fmt: skip
TRADE_WORDS = [
    "电器", "服饰", "家纺", "鞋业", "玩具", "纸业", "家具", "化肥", "塑料制品", "建材",
    "涂料", "电子科技", "日化", "五金", "包装", "童车", "文具", "灯饰", "线缆", "厨具",
]  # fmt: skip


@dataclass(frozen=True)
class Plan:
    """What to generate: row counts per app and the seed that makes a run repeatable."""

    enterprises: int = 1_000
    batches: int = 10_000
    cases: int = 500
    recalls: int = 100
    facts: int = 10_000
    vins: int | None = None  # VINs of the vehicle recalls; None: 100 per recall
    seed: int = 2017
    provinces: list[str] | None = ALL_PROVINCES


@dataclass(frozen=True)
class Step:
    """One app's part of the data set."""

    name: str
    label: str  # shown to the person running generate_scale
    order: int
    generate: Callable[..., dict[str, int]]  # (cursor, plan) -> {label: rows}
    tables: list[str]  # loaded tables (user triggers off during the load; emptied when regenerating)
    foreign_sql: str = ""  # SELECT count(*) of rows that this step did not generate (no parameters)
    cleared: list[str] = field(default_factory=list)  # further tables emptied when regenerating
    after: list[str] = field(default_factory=list)  # tables to VACUUM ANALYZE besides ``tables``


_steps: dict[str, Step] = {}


def register(step: Step) -> Step:
    _steps[step.name] = step
    return step


def autodiscover() -> list[Step]:
    """Import every installed app's ``scale`` module (each registers its step); the steps in order."""
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("scale")
    return sorted(_steps.values(), key=lambda s: s.order)


def seed_for(cursor, plan: Plan, salt: int) -> None:
    """Seed PostgreSQL's random() for one step: the same --seed gives the same rows, steps stay independent."""
    cursor.execute("SELECT setseed(%s)", [((plan.seed * 7919 + salt) % 1_000_003) / 1_000_003])


@contextlib.contextmanager
def bulk_load(cursor, tables: list[str]) -> Iterator[None]:
    """User triggers (pghistory, the ledger's insert-only guard) off for the load only, inside its transaction.

    A synthetic data set is not an audited record. Constraints and foreign keys stay checked: the deferred
    checks run before the triggers are switched on again (a table with pending trigger events cannot be altered).
    """
    for table in tables:
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
    yield
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for table in tables:
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


EMPTY_VALUES = {
    "character varying": "''",
    "text": "''",
    "boolean": "false",
    "smallint": "0",
    "integer": "0",
    "bigint": "0",
    "numeric": "0",
    "jsonb": "'{}'::jsonb",
    "ARRAY": "'{}'",
    "date": "current_date",
    "timestamp with time zone": "now()",
}
_INSERT = re.compile(r"^(\s*(?:WITH\s.*?)?)INSERT INTO (\w+) \(([^)]*)\)\s*(SELECT\s.*)$", re.DOTALL | re.IGNORECASE)


def insert(cursor, sql: str, params=None) -> int:
    """Run ``[WITH …] INSERT INTO table (columns) SELECT …``, giving every NOT NULL column without a database
    default that the statement leaves out an empty value ('' / false / 0 / {}), so that a column added to a model
    after its generator was written does not break the load. Returns the rows inserted."""
    head, table, columns, select = _INSERT.match(sql).groups()
    given = {c.strip() for c in columns.split(",")}
    cursor.execute(
        """
        SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = %s AND is_nullable = 'NO' AND column_default IS NULL
           AND is_identity = 'NO' ORDER BY ordinal_position
        """,
        [table],
    )
    missing = [(name, kind) for name, kind in cursor.fetchall() if name not in given]
    if missing:
        extra_columns = ", ".join(f'"{name}"' for name, _kind in missing)
        extra_values = ", ".join(EMPTY_VALUES.get(kind, "DEFAULT") for _name, kind in missing)
        sql = f"{head}INSERT INTO {table} ({columns}, {extra_columns}) SELECT q.*, {extra_values} FROM ({select}) q"
    cursor.execute(sql, params)
    return cursor.rowcount


def county_table(cursor, provinces: list[str] | None, name: str = "scale_county") -> int:
    """A temporary numbered table of the active counties (all, or of ``provinces``); returns their number."""
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(
        f"""
        CREATE TEMP TABLE {name} AS
        SELECT row_number() OVER (ORDER BY code) - 1 AS n, code, name, zone, substr(code, 1, 2) || '0000' AS province
          FROM core_region
         WHERE level = 'county' AND is_active AND (%(all)s OR substr(code, 1, 2) || '0000' = ANY(%(provinces)s))
        """,
        {"all": provinces is None, "provinces": provinces or []},
    )
    cursor.execute(f"CREATE UNIQUE INDEX ON {name} (n)")
    cursor.execute(f"SELECT count(*) FROM {name}")
    return cursor.fetchone()[0]


SIZE_SQL = (
    "CASE "
    + "".join(
        f"WHEN (g * 2654435761 + %(salt)s) %% 1000 < {sum(s for _n, s in SIZE_SHARES[: i + 1])} THEN '{name}' "
        for i, (name, _share) in enumerate(SIZE_SHARES)
    )
    + "END"
)


def create_enterprises(
    cursor,
    count: int,
    *,
    provinces: list[str] | None = ALL_PROVINCES,
    uscc_prefix: str = "91",
    mark: str = SCALE_MARK,
    seed: int = 0,
) -> int:
    """``count`` enterprises over the counties (a prime stride, so every county gets some), sizes as in 2017.

    USCC: prefix + county code + ``mark`` + 9 digits of the series number — 18 characters, unique, never valid.
    Returns the number of counties used.
    """
    counties = county_table(cursor, provinces)
    insert(
        cursor,
        f"""
        INSERT INTO core_enterprise (name, uscc, legal_representative, address, region_id, industry, size,
                                     status, credit_class, created_at, updated_at)
        SELECT c.name || (%(names)s::text[])[1 + g %% 30] || (%(trades)s::text[])[1 + (g / 30) %% 20]
                   || '有限公司' || CASE WHEN g >= 600 THEN '（' || g || '）' ELSE '' END,
               %(prefix)s || c.code || %(mark)s || lpad(g::text, 9, '0'),
               '', c.name || '某路' || (1 + g %% 300) || '号', c.code,
               (%(trades)s::text[])[1 + (g / 30) %% 20] || '制造业', {SIZE_SQL},
               'active', '', now(), now()
          FROM generate_series(0::bigint, %(n)s - 1) g
          JOIN scale_county c ON c.n = (g * 7919) %% %(counties)s
        """,
        {
            "names": NAME_WORDS,
            "trades": TRADE_WORDS,
            "n": count,
            "counties": counties,
            "prefix": uscc_prefix,
            "mark": mark,
            "salt": seed % 1000,
        },
    )
    return counties


def generate_enterprises(cursor, plan: Plan) -> dict[str, int]:
    create_enterprises(cursor, plan.enterprises, provinces=plan.provinces, seed=plan.seed)
    return {_("企业"): plan.enterprises}


register(
    Step(
        name="enterprises",
        label=_("企业"),
        order=10,
        generate=generate_enterprises,
        tables=["core_enterprise"],
        foreign_sql=f"SELECT count(*) FROM core_enterprise WHERE substr(uscc, 9, 1) <> '{SCALE_MARK}'",
    )
)


def foreign_rows(steps: list[Step]) -> dict[str, int]:
    """Rows not generated here, per step: a real bureau's records, which generate_scale refuses to mix with."""
    from django.db import connection

    found = {}
    with connection.cursor() as cursor:
        for step in steps:
            if step.foreign_sql:
                cursor.execute(step.foreign_sql)
                if count := cursor.fetchone()[0]:
                    found[str(step.label)] = count
    return found


def scale_enterprises() -> int:
    """Enterprises generated by an earlier run (their USCC carries SCALE_MARK)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM core_enterprise WHERE substr(uscc, 9, 1) = %s", [SCALE_MARK])
        return cursor.fetchone()[0]


def clear(cursor, tables: list[str]) -> None:
    """Empty ``tables`` and restart their ids (so a run repeats exactly), never touching any other table.

    TRUNCATE … CASCADE when every other table it would reach is empty (fast); otherwise — users, rule sets and
    the like refer to enterprises — DELETE with the user triggers off, and the foreign keys (checked at commit)
    refuse if some other row still refers to a generated one.
    """
    cursor.execute(
        """
        WITH RECURSIVE refs(tbl) AS (
            SELECT unnest(%s::text[])::regclass
            UNION SELECT c.conrelid FROM pg_constraint c JOIN refs ON c.confrelid = refs.tbl WHERE c.contype = 'f'
        ) SELECT tbl::text FROM refs
        """,
        [tables],
    )
    others = [t for (t,) in cursor.fetchall() if t not in tables]
    occupied = []
    for table in others:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
        if cursor.fetchone()[0]:
            occupied.append(table)
    if not occupied:
        cursor.execute(f"TRUNCATE {', '.join(tables + others)} RESTART IDENTITY")
        return
    with bulk_load(cursor, tables):
        for table in tables:
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                """
                SELECT setval(seq.oid, 1, false) FROM pg_class seq
                  JOIN pg_depend d ON d.objid = seq.oid AND d.deptype IN ('a', 'i')
                 WHERE seq.relkind = 'S' AND d.refobjid = %s::regclass
                """,
                [table],
            )
    # bulk_load ran the deferred foreign-key checks: nothing outside ``tables`` referred to a deleted row.


def run(plan: Plan, steps: list[Step], *, replace: bool, report: Callable[[str], None] = print) -> dict[str, float]:
    """Generate ``plan`` step by step, each in its own transaction; returns the seconds per step.

    ``replace``: empty the steps' tables first (TRUNCATE … RESTART IDENTITY, so ids and with them every derived
    value repeat exactly). Only call it when ``foreign_rows`` found nothing.
    """
    from django.db import connection, transaction

    timings = {}
    if replace:
        with transaction.atomic(), connection.cursor() as cursor:
            clear(cursor, [t for step in steps for t in [*step.tables, *step.cleared]])
    for step in steps:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor, bulk_load(cursor, step.tables):
            counts = step.generate(cursor, plan)
        timings[step.name] = time.perf_counter() - started
        report("，".join(f"{label} {rows:,}" for label, rows in counts.items()) + f"：{timings[step.name]:.1f} 秒")
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for table in dict.fromkeys(t for step in steps for t in [*step.tables, *step.after]):
            cursor.execute(f"VACUUM ANALYZE {table}")
    timings["analyze"] = time.perf_counter() - started
    return timings
