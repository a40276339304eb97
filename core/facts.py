"""Recording and reading enterprise facts (涉企信息归集).

Apps register the kinds they record in ``AppConfig.ready()``::

    register_fact_kind("sampling.verdict_failed", _("监督抽查不合格"), category="sampling")

and record them inside the transaction of the change that causes them::

    record_fact(enterprise=sample.enterprise, kind="sampling.verdict_failed", source=sample, on=today,
                data={"failed_items": [...]})

``record_fact`` is idempotent on (kind, source, ref): a service run twice records one fact.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from core.models import Enterprise
from core.models_facts import EnterpriseFact


@dataclass(frozen=True)
class FactKind:
    code: str
    label: str
    category: str = ""
    # Whether facts of this kind are negative for credit (a failure, a penalty) or positive (a pass).
    polarity: int = 0


_kinds: dict[str, FactKind] = {}


def register_fact_kind(code: str, label, *, category: str = "", polarity: int = 0) -> FactKind:
    kind = FactKind(code=code, label=label, category=category, polarity=polarity)
    _kinds[code] = kind
    return kind


def fact_kinds() -> dict[str, FactKind]:
    return dict(_kinds)


def fact_kind_label(code: str) -> str:
    kind = _kinds.get(code)
    return str(kind.label) if kind else code


def source_keys(source) -> tuple[str, str, str]:
    """("app.model", "pk", label) of a model instance."""
    meta = source._meta
    return f"{meta.app_label}.{meta.model_name}", str(source.pk), str(source)


def record_fact(
    *,
    enterprise: Enterprise,
    kind: str,
    source,
    on: dt.date,
    data: dict | None = None,
    summary: str = "",
    ref: str = "",
    public_from: dt.date | None = None,
    public_until: dt.date | None = None,
    ends: EnterpriseFact | None = None,
    user=None,
    source_label: str | None = None,
) -> EnterpriseFact:
    """Record one fact under the enterprise, in the caller's transaction; once per (kind, source, ref)."""
    if kind not in _kinds:
        raise ValueError(f"unregistered fact kind {kind!r}")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_fact must run inside the transaction of the change that causes it")
    source_type, source_id, label = source_keys(source)
    fact, _created = EnterpriseFact.objects.get_or_create(
        kind=kind,
        source_type=source_type,
        source_id=source_id,
        ref=ref,
        defaults={
            "enterprise": enterprise,
            "uscc": enterprise.uscc,
            "region_code": enterprise.region_id,
            "occurred_on": on,
            "source_label": (source_label if source_label is not None else label)[:128],
            "summary": summary[:255],
            "data": data or {},
            "public_from": public_from,
            "public_until": public_until,
            "ends": ends,
            "recorded_by": user if getattr(user, "pk", None) else None,
        },
    )
    return fact


def facts_of_source(source, *, kind: str | None = None) -> QuerySet[EnterpriseFact]:
    source_type, source_id, _label = source_keys(source)
    qs = EnterpriseFact.objects.filter(source_type=source_type, source_id=source_id)
    return qs.filter(kind=kind) if kind else qs


def public_facts_q(on: dt.date | None = None) -> Q:
    """Facts the public may see on ``on``: within their publication period and not ended by a later fact."""
    on = on or timezone.localdate()
    ended = EnterpriseFact.objects.filter(ends=OuterRef("pk"), occurred_on__lte=on)
    return (
        Q(public_from__isnull=False, public_from__lte=on)
        & (Q(public_until__isnull=True) | Q(public_until__gte=on))
        & ~Q(Exists(ended))
    )


def public_facts(on: dt.date | None = None) -> QuerySet[EnterpriseFact]:
    return EnterpriseFact.objects.filter(public_facts_q(on))
