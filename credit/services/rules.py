"""Rule sets (信用分类规则): an administrator copies the version in force into a draft, tunes points, decay,
thresholds and inspection intervals, previews which enterprises would change class, and activates it; the
activation recomputes every class. Versions are never edited once in force."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError, PermissionDenied
from credit import policies, scoring
from credit.kinds import RECORD_KINDS, VARIANT_LABELS
from credit.models import DecayMode, Rule, RuleSet, RuleSetStatus
from credit.services.classes import active_rule_set, recompute_classes

PREVIEW_LIST_LIMIT = 200
RULE_SET_FIELDS = (
    "name",
    "note",
    "decay_mode",
    "decay_months",
    "horizon_months",
    "threshold_b",
    "threshold_c",
    "threshold_d",
    "interval_a",
    "interval_b",
    "interval_c",
    "interval_d",
)


def digest(rule_set: RuleSet) -> str:
    """A fingerprint of what a rule set computes (the preview must have been made of exactly this)."""
    payload = {
        "fields": {name: str(getattr(rule_set, name)) for name in RULE_SET_FIELDS if name not in ("name", "note")},
        "rules": [
            [r.kind, r.variant, str(r.points), str(r.points_per_10k), str(r.cap)]
            for r in rule_set.rules.order_by("kind", "variant")
        ],
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@transaction.atomic
def rule_set_draft_create(*, user) -> RuleSet:
    """A new draft copied from the version in force (or the open draft, when one exists)."""
    if not policies.can_edit_rules(user):
        raise PermissionDenied(_("只有系统管理员可以调整信用分类规则。"))
    existing = RuleSet.objects.filter(status=RuleSetStatus.DRAFT).order_by("-version").first()
    if existing is not None:
        return existing
    base = active_rule_set()
    version = RuleSet.objects.select_for_update().order_by("-version").values_list("version", flat=True).first() + 1
    draft = RuleSet.objects.create(
        version=version,
        status=RuleSetStatus.DRAFT,
        based_on=base,
        created_by=user,
        **{name: getattr(base, name) for name in RULE_SET_FIELDS},
    )
    Rule.objects.bulk_create(
        Rule(
            rule_set=draft, kind=r.kind, variant=r.variant, points=r.points, points_per_10k=r.points_per_10k, cap=r.cap
        )
        for r in base.rules.all()
    )
    return draft


def _decimal(value, field: str) -> Decimal:
    try:
        return Decimal(str(value).strip()).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(field)s：请输入数字。") % {"field": field})


def _positive_int(value, field: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("%(field)s：请输入整数。") % {"field": field})
    if number < 1:
        raise DomainError(_("%(field)s：必须为正整数。") % {"field": field})
    return number


@transaction.atomic
def rule_set_draft_update(*, user, rule_set: RuleSet, fields: dict, rules: list[dict]) -> RuleSet:
    """Change a draft: its parameters and the rules (kind, variant, points, points per 10,000 yuan, cap).
    Any change invalidates an earlier preview."""
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if not policies.can_edit_rules(user):
        raise PermissionDenied(_("只有系统管理员可以调整信用分类规则。"))
    if rule_set.status != RuleSetStatus.DRAFT:
        raise DomainError(_("第 %(version)s 版已启用或停用，不能修改；请新建草稿。") % {"version": rule_set.version})
    name = (fields.get("name") or "").strip()
    if not name:
        raise DomainError(_("名称：不能为空。"))
    decay_mode = fields.get("decay_mode")
    if decay_mode not in DecayMode.values:
        raise DomainError(_("时间衰减：请选择有效的方式。"))
    values = {
        "name": name[:100],
        "note": (fields.get("note") or "").strip(),
        "decay_mode": decay_mode,
        "decay_months": _positive_int(fields.get("decay_months"), _("半衰期或时间窗（月）")),
        "horizon_months": _positive_int(fields.get("horizon_months"), _("计分时限（月）")),
        "threshold_b": _decimal(fields.get("threshold_b"), _("B 类起点分")),
        "threshold_c": _decimal(fields.get("threshold_c"), _("C 类起点分")),
        "threshold_d": _decimal(fields.get("threshold_d"), _("D 类起点分")),
    }
    for cls in ("a", "b", "c", "d"):
        values[f"interval_{cls}"] = _positive_int(
            fields.get(f"interval_{cls}"), _("%(cls)s 类建议检查间隔（月）") % {"cls": cls.upper()}
        )
    if not values["threshold_b"] <= values["threshold_c"] <= values["threshold_d"]:
        raise DomainError(_("分类阈值：须满足 B 类起点分 ≤ C 类起点分 ≤ D 类起点分。"))
    parsed = []
    seen = set()
    for row in rules:
        kind, variant = row.get("kind", ""), row.get("variant", "") or ""
        if kind not in RECORD_KINDS or variant not in VARIANT_LABELS:
            raise DomainError(_("计分规则：信息类型“%(kind)s”无效。") % {"kind": kind})
        if (kind, variant) in seen:
            continue
        seen.add((kind, variant))
        label = f"{kind}/{variant or '*'}"
        cap = row.get("cap")
        cap_value = None if cap in (None, "") else _decimal(cap, _("单条上限（%(rule)s）") % {"rule": label})
        if cap_value is not None and cap_value < 0:
            raise DomainError(_("单条上限（%(rule)s）：不能为负数。") % {"rule": label})
        parsed.append(
            Rule(
                rule_set=rule_set,
                kind=kind,
                variant=variant,
                points=_decimal(row.get("points", 0), _("分值（%(rule)s）") % {"rule": label}),
                points_per_10k=_decimal(
                    row.get("points_per_10k") or 0, _("每万元罚款加分（%(rule)s）") % {"rule": label}
                ),
                cap=cap_value,
            )
        )
    for name_, value in values.items():
        setattr(rule_set, name_, value)
    rule_set.previewed_at, rule_set.preview_digest, rule_set.preview = None, "", {}
    rule_set.save(update_fields=[*values, "previewed_at", "preview_digest", "preview", "updated_at"])
    rule_set.rules.all().delete()
    Rule.objects.bulk_create(parsed)
    return rule_set


def preview_changes(rule_set: RuleSet, *, on=None) -> dict:
    """Which enterprises would change class if ``rule_set`` were in force today: counts per (from, to) and the
    first enterprises, by region. Computed in SQL like the recomputation itself."""
    on = on or timezone.localdate()
    params = scoring.params(rule_set, on)
    new = scoring.classes_sql(rule_set)
    base = f"""
        FROM ({new}) n LEFT JOIN credit_enterpriseclass c ON c.enterprise_id = n.enterprise_id
         WHERE COALESCE(c.credit_class, '') <> n.credit_class
    """
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '128MB'")
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(f"SELECT COALESCE(c.credit_class, ''), n.credit_class, count(*) {base} GROUP BY 1, 2", params)
        moves = [{"from": f, "to": t, "count": n} for f, t, n in sorted(cursor.fetchall())]
        cursor.execute(
            f"""
            SELECT x.enterprise_id, e.name, e.uscc, e.region_id, x.old_class, x.new_class, x.old_score, x.new_score
              FROM (SELECT n.enterprise_id, COALESCE(c.credit_class, '') AS old_class, n.credit_class AS new_class,
                           c.score AS old_score, n.score AS new_score {base}) x
              JOIN core_enterprise e ON e.id = x.enterprise_id
             ORDER BY e.region_id, e.id LIMIT %(limit)s
            """,
            {**params, "limit": PREVIEW_LIST_LIMIT},
        )
        listed = [
            {
                "id": r[0],
                "name": r[1],
                "uscc": r[2],
                "region": r[3],
                "from": r[4],
                "to": r[5],
                "old_score": None if r[6] is None else str(r[6]),
                "new_score": str(r[7]),
            }
            for r in cursor.fetchall()
        ]
    total = sum(m["count"] for m in moves)
    return {"on": on.isoformat(), "total": total, "moves": moves, "enterprises": listed}


@transaction.atomic
def rule_set_preview(*, user, rule_set: RuleSet) -> RuleSet:
    """Preview a draft's effect and keep it on the draft (activation requires a preview of the same rules)."""
    rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
    if not policies.can_edit_rules(user):
        raise PermissionDenied(_("只有系统管理员可以调整信用分类规则。"))
    if rule_set.status != RuleSetStatus.DRAFT:
        raise DomainError(_("只能预览草稿。"))
    rule_set.preview = preview_changes(rule_set)
    rule_set.preview_digest = digest(rule_set)
    rule_set.previewed_at = timezone.now()
    rule_set.save(update_fields=["preview", "preview_digest", "previewed_at"])
    return rule_set


def rule_set_activate(*, user, rule_set: RuleSet) -> RuleSet:
    """Put a previewed draft in force: the previous version is retired and every class is recomputed."""
    with transaction.atomic():
        rule_set = RuleSet.objects.select_for_update().get(pk=rule_set.pk)
        if not policies.can_edit_rules(user):
            raise PermissionDenied(_("只有系统管理员可以调整信用分类规则。"))
        if rule_set.status != RuleSetStatus.DRAFT:
            raise DomainError(_("只能启用草稿。"))
        if not rule_set.previewed_at or rule_set.preview_digest != digest(rule_set):
            raise DomainError(_("请先预览本次调整将改变哪些企业的分类，再启用。"))
        RuleSet.objects.filter(status=RuleSetStatus.ACTIVE).update(status=RuleSetStatus.RETIRED)
        rule_set.status = RuleSetStatus.ACTIVE
        rule_set.activated_at, rule_set.activated_by = timezone.now(), user
        rule_set.save(update_fields=["status", "activated_at", "activated_by"])
        recompute_classes(rule_set=rule_set)
    return rule_set
