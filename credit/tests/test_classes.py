"""Records from facts and classes from records: records match facts and are idempotent, explanations sum to
the class, rule changes move exactly the previewed enterprises."""

import datetime as dt
from decimal import Decimal

import pytest

from core.models import Enterprise
from credit.models import ChangeCause, ClassChange, CreditRecord, EnterpriseClass, RuleSetStatus
from credit.services.classes import active_rule_set, explain, recompute_classes
from credit.services.records import take_up_facts
from credit.services.rules import rule_set_activate, rule_set_draft_create, rule_set_draft_update, rule_set_preview
from credit.tests.factories import enterprise, make_fact, penalty

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def firms(regions):
    return [enterprise() for _ in range(4)]


def _rules_payload(rule_set, changes=None):
    changes = changes or {}
    rows = [
        {
            "kind": r.kind,
            "variant": r.variant,
            "points": str(r.points),
            "points_per_10k": str(r.points_per_10k),
            "cap": "" if r.cap is None else str(r.cap),
        }
        for r in rule_set.rules.all()
    ]
    for row in rows:
        key = (row["kind"], row["variant"])
        if key in changes:
            row["points"] = changes[key]
    return rows


def _fields(rule_set, **changes):
    from credit.services.rules import RULE_SET_FIELDS

    return {**{name: getattr(rule_set, name) for name in RULE_SET_FIELDS}, **changes}


def test_records_match_facts_and_take_up_is_idempotent(firms):
    a, b, *_ = firms
    f1 = make_fact(a, "sampling.verdict_failed", TODAY, data={"sample_no": "S1"})
    f2 = penalty(b, TODAY, fine="20000.00")
    make_fact(a, "sampling.result_published", TODAY)  # not a record kind: no record
    added, touched = take_up_facts()
    assert added == 2 and touched == {a.pk, b.pk}
    record = CreditRecord.objects.get(fact=f2)
    assert (record.enterprise_id, record.kind, record.variant, record.amount) == (
        b.pk,
        f2.kind,
        "penalty",
        Decimal("20000.00"),
    )
    assert record.source_label == f2.source_label and record.source_type == "core.enterprise"
    assert CreditRecord.objects.get(fact=f1).occurred_on == TODAY
    # Again, and a full recompute: the same records, nothing added.
    assert take_up_facts()[0] == 0
    assert take_up_facts(full=True)[0] == 0
    assert sorted(CreditRecord.objects.values_list("fact_id", flat=True)) == sorted([f1.pk, f2.pk])


def test_unregistered_kind_is_ignored(firms, monkeypatch):
    from core import facts

    make_fact(firms[0], "recalls.defect_concealed", TODAY)
    kinds = facts.fact_kinds()
    kinds.pop("recalls.defect_concealed")
    monkeypatch.setattr("credit.kinds.fact_kinds", lambda: kinds)
    assert take_up_facts()[0] == 0


def test_classes_follow_points_and_explanation_sums_to_class(firms):
    a, b, c, d = firms
    for _ in range(3):
        make_fact(a, "sampling.verdict_passed", TODAY - dt.timedelta(days=30))
    make_fact(c, "sampling.verdict_failed", TODAY - dt.timedelta(days=10))
    make_fact(c, "sampling.rectification_overdue", TODAY)
    penalty(d, TODAY - dt.timedelta(days=100), fine="100000.00")
    make_fact(d, "recalls.order_refused", TODAY)
    take_up_facts()
    recompute_classes(on=TODAY)
    classes = dict(EnterpriseClass.objects.values_list("enterprise_id", "credit_class"))
    assert classes[a.pk] == "A" and classes[b.pk] == "B" and classes[c.pk] == "C" and classes[d.pk] == "D"
    assert Enterprise.objects.get(pk=d.pk).credit_class == "D"  # written back for the draw
    stored = EnterpriseClass.objects.get(enterprise=d)
    explanation = explain(d)
    assert explanation.total == stored.score and explanation.class_from_total == "D"
    assert {row.kind for row in explanation.rows} == {"enforcement.penalty_decided", "recalls.order_refused"}
    assert stored.rule_set.version == active_rule_set().version
    assert ClassChange.objects.filter(enterprise=d, cause=ChangeCause.INITIAL, to_class="D").exists()


def test_recompute_is_idempotent_and_new_fact_change_is_caused_by_it(firms):
    a = firms[0]
    take_up_facts()
    recompute_classes(on=TODAY)
    before = list(EnterpriseClass.objects.order_by("pk").values_list("pk", "credit_class", "score"))
    assert recompute_classes(on=TODAY).changed == 0
    assert list(EnterpriseClass.objects.order_by("pk").values_list("pk", "credit_class", "score")) == before
    fact = make_fact(a, "recalls.defect_concealed", TODAY)
    _added, touched = take_up_facts()
    recompute_classes(enterprise_ids=touched, on=TODAY)
    change = ClassChange.objects.filter(enterprise=a).order_by("-id").first()
    assert (change.from_class, change.to_class, change.cause) == ("B", "D", ChangeCause.FACTS)
    assert change.cause_facts == [fact.pk]


def test_default_decay_is_a_two_year_half_life(db):
    from credit.models import DecayMode

    rule_set = active_rule_set()
    assert rule_set.decay_mode == DecayMode.HALF_LIFE and rule_set.decay_months == 24


def test_decay_moves_old_penalty_down(firms):
    d = firms[0]
    penalty(d, TODAY, fine="0.00")  # 12 points
    make_fact(d, "recalls.order_refused", TODAY)  # 30 points → 42, D
    take_up_facts()
    recompute_classes(on=TODAY)
    assert EnterpriseClass.objects.get(enterprise=d).credit_class == "D"
    # Two half-lives later (48 months): 42 / 4 = 10.5 → C.
    later = dt.date(2030, 6, 1)
    recompute_classes(on=later)
    stored = EnterpriseClass.objects.get(enterprise=d)
    assert stored.credit_class == "C" and explain(d).total == stored.score
    assert ClassChange.objects.filter(enterprise=d, cause=ChangeCause.DECAY).exists()


def test_rule_change_moves_the_previewed_enterprises(firms, provincial_admin):
    from django.utils import timezone

    today = timezone.localdate()  # the preview and the activation compute for today
    a, b, c, d = firms
    make_fact(b, "sampling.verdict_failed", today)  # 10 → C
    make_fact(c, "sampling.verdict_failed", today)
    make_fact(c, "sampling.verdict_passed", today)
    make_fact(c, "sampling.verdict_passed", today)  # 6 → B
    take_up_facts()
    recompute_classes(on=today)
    assert dict(EnterpriseClass.objects.values_list("enterprise_id", "credit_class"))[c.pk] == "B"
    draft = rule_set_draft_create(user=provincial_admin)
    assert draft.status == RuleSetStatus.DRAFT and draft.version == 2
    draft = rule_set_draft_update(
        user=provincial_admin,
        rule_set=draft,
        fields=_fields(draft, name="不合格加重"),
        rules=_rules_payload(draft, {("sampling.verdict_failed", ""): "31"}),
    )
    from core.errors import DomainError

    with pytest.raises(DomainError, match="请先预览"):
        rule_set_activate(user=provincial_admin, rule_set=draft)
    draft = rule_set_preview(user=provincial_admin, rule_set=draft)
    previewed = {e["id"]: (e["from"], e["to"]) for e in draft.preview["enterprises"]}
    assert previewed == {b.pk: ("C", "D"), c.pk: ("B", "D")}
    assert draft.preview["total"] == 2
    rule_set_activate(user=provincial_admin, rule_set=draft)
    after = dict(EnterpriseClass.objects.values_list("enterprise_id", "credit_class"))
    assert (after[a.pk], after[b.pk], after[c.pk], after[d.pk]) == ("B", "D", "D", "B")
    moved = set(ClassChange.objects.filter(cause=ChangeCause.RULES).values_list("enterprise_id", flat=True))
    assert moved == set(previewed)
    assert EnterpriseClass.objects.get(enterprise=b).rule_set.version == 2
    assert active_rule_set().pk == draft.pk


def test_draft_edit_invalidates_preview_and_bad_thresholds_refused(provincial_admin, county_inspector):
    from core.errors import DomainError, PermissionDenied

    draft = rule_set_draft_create(user=provincial_admin)
    draft = rule_set_preview(user=provincial_admin, rule_set=draft)
    with pytest.raises(DomainError, match="B 类起点分 ≤ C 类起点分"):
        rule_set_draft_update(
            user=provincial_admin, rule_set=draft, fields=_fields(draft, threshold_c="50"), rules=_rules_payload(draft)
        )
    draft = rule_set_draft_update(
        user=provincial_admin, rule_set=draft, fields=_fields(draft, threshold_d="40"), rules=_rules_payload(draft)
    )
    assert draft.previewed_at is None
    with pytest.raises(PermissionDenied):
        rule_set_draft_create(user=county_inspector)


def test_credit_recompute_command_gives_the_same_records_twice(firms):
    from io import StringIO

    from django.core.management import call_command

    make_fact(firms[0], "sampling.verdict_failed", TODAY)
    penalty(firms[1], TODAY)
    call_command("credit_recompute", stdout=StringIO())
    records = sorted(CreditRecord.objects.values_list("fact_id", "kind", "variant", "amount"))
    classes = sorted(EnterpriseClass.objects.values_list("enterprise_id", "credit_class", "score"))
    out = StringIO()
    call_command("credit_recompute", stdout=out)
    assert "新增信用记录 0 条" in out.getvalue() and "0 家变化" in out.getvalue()
    assert sorted(CreditRecord.objects.values_list("fact_id", "kind", "variant", "amount")) == records
    assert sorted(EnterpriseClass.objects.values_list("enterprise_id", "credit_class", "score")) == classes
    assert len(records) == 2
