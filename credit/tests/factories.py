"""Builders for credit tests: ledger facts recorded through core.facts (as the owning apps will record them),
enterprises, and listings and applications built through credit's services."""

from __future__ import annotations

import datetime as dt
import itertools

from django.db import transaction

from core.facts import fact_kinds, record_fact, register_fact_kind
from core.models import Enterprise
from core.tests.factories import EnterpriseFactory
from credit.kinds import KIND_LABELS

_refs = itertools.count(1)

# The kinds the other apps record; registered here only when the owning app has not registered them yet.
OTHER_KINDS = [code for code in KIND_LABELS if not code.startswith("credit.")] + [
    "enforcement.penalty_withdrawn",
    "sampling.result_withdrawn",
]


def register_other_kinds() -> None:
    for code in OTHER_KINDS:
        if code not in fact_kinds():
            register_fact_kind(code, KIND_LABELS.get(code, code), category=code.split(".")[0])


def make_fact(
    enterprise: Enterprise,
    kind: str,
    on: dt.date,
    *,
    data: dict | None = None,
    public_from: dt.date | None = None,
    public_until: dt.date | None = None,
    ends=None,
    label: str = "",
):
    """A fact as the owning app would record it (the enterprise stands in for the source record)."""
    register_other_kinds()
    ref = f"test-{next(_refs)}"
    with transaction.atomic():
        return record_fact(
            enterprise=enterprise,
            kind=kind,
            source=enterprise,
            on=on,
            data=data or {},
            ref=ref,
            public_from=public_from,
            public_until=public_until,
            ends=ends,
            source_label=label or ref,
        )


def penalty(enterprise, on, *, fine="50000.00", decision_no=None, warning_only=False, repairable=True, sector=""):
    decision_no = decision_no or f"湘长市监处罚〔{on.year}〕{next(_refs)}号"
    return make_fact(
        enterprise,
        "enforcement.penalty_decided",
        on,
        data={
            "decision_no": decision_no,
            "penalty_types": ["fine"],
            "fine": fine,
            "confiscation": "0.00",
            "illegal_gains": "0.00",
            "violation_type": "生产销售不合格产品",
            "warning_only": warning_only,
            "sector": sector,
            "repairable": repairable,
        },
        label=decision_no,
    )


def published_penalty(decided, on, *, until=None, authority="长沙市市场监督管理局"):
    data = {**decided.data, "authority": authority}
    return make_fact(
        decided.enterprise,
        "enforcement.penalty_published",
        on,
        data=data,
        public_from=on,
        public_until=until,
        label=decided.source_label,
    )


def enterprise(**kwargs) -> Enterprise:
    return EnterpriseFactory(**kwargs)
