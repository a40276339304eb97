"""The ledger kinds that make credit records (docs/fact-ledger.md), their variants and the default points.

A kind is taken up only while it is registered (``core.facts.fact_kinds()``): a kind no app has registered is
unknown and ignored. Credit registers only its own kinds (credit.*) in ``CreditConfig.ready()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from core.facts import fact_kinds

# Variants a rule may target: SQL over the fact's data (alias f), computed once when the record is made.
VARIANT_SQL = {
    "enforcement.penalty_decided": (
        "CASE WHEN f.data->>'warning_only' = 'true' THEN 'warning' "
        "WHEN f.data->>'repairable' = 'false' THEN 'severe' ELSE 'penalty' END"
    ),
    "recalls.recall_filed": "COALESCE(NULLIF(f.data->>'kind', ''), '')",
}
VARIANT_LABELS = {
    "": _("全部"),
    "warning": _("仅警告"),
    "penalty": _("罚款等处罚"),
    "severe": _("责令停产停业、吊销等不可修复的处罚"),
    "voluntary": _("主动召回"),
    "ordered": _("责令召回"),
}

# Kinds carrying an amount: the fine in yuan ("1234.50").
AMOUNT_KINDS = ("enforcement.penalty_decided", "enforcement.fine_overdue")

# Kinds whose facts end an earlier record (the record stops scoring from that day).
# A penalty revoked or held void by review or a court ends its record (enforcement.penalty_revoked).
ENDING_KINDS = ("credit.removed", "enforcement.penalty_revoked")


@dataclass(frozen=True)
class DefaultRule:
    kind: str
    variant: str
    points: Decimal
    per_10k: Decimal = Decimal("0")
    cap: Decimal | None = None


def _d(value) -> Decimal:
    return Decimal(str(value))


# The default rule set (version 1); an administrator tunes it in the browser.
DEFAULT_RULES: tuple[DefaultRule, ...] = (
    DefaultRule("sampling.verdict_passed", "", _d(-2)),
    DefaultRule("sampling.verdict_failed", "", _d(10)),
    DefaultRule("sampling.rectification_done", "", _d(-3)),
    DefaultRule("sampling.rectification_overdue", "", _d(8)),
    DefaultRule("sampling.reinspection_failed", "", _d(15)),
    DefaultRule("enforcement.complaint_substantiated", "", _d(3)),
    DefaultRule("enforcement.penalty_decided", "warning", _d(3)),
    DefaultRule("enforcement.penalty_decided", "penalty", _d(12), _d(1), _d(40)),
    DefaultRule("enforcement.penalty_decided", "severe", _d(30), _d(1), _d(50)),
    DefaultRule("enforcement.fine_paid", "", _d(-2)),
    DefaultRule("enforcement.fine_overdue", "", _d(8)),
    DefaultRule("enforcement.penalty_fulfilled", "", _d(-2)),
    DefaultRule("recalls.recall_filed", "voluntary", _d(-1)),
    DefaultRule("recalls.recall_filed", "ordered", _d(5)),
    DefaultRule("recalls.report_late", "", _d(3)),
    DefaultRule("recalls.defect_concealed", "", _d(30)),
    DefaultRule("recalls.order_refused", "", _d(30)),
    DefaultRule("recalls.recall_completed", "", _d(-2)),
    DefaultRule("credit.listed", "", _d(40)),
)

# Every kind that makes a record (the rules' kinds), in the order the rule form lists them.
RECORD_KINDS: tuple[str, ...] = tuple(dict.fromkeys(rule.kind for rule in DEFAULT_RULES))

# Labels of the kinds for the case the owning app has not registered them (pages still name them).
KIND_LABELS = {
    "sampling.verdict_passed": _("监督抽查合格"),
    "sampling.verdict_failed": _("监督抽查不合格"),
    "sampling.rectification_done": _("不合格整改完成"),
    "sampling.rectification_overdue": _("不合格整改逾期"),
    "sampling.reinspection_failed": _("复查不合格"),
    "sampling.result_published": _("抽查结果公告"),
    "enforcement.complaint_substantiated": _("投诉举报查实"),
    "enforcement.penalty_decided": _("行政处罚决定"),
    "enforcement.penalty_published": _("行政处罚信息公示"),
    "enforcement.fine_paid": _("罚款已缴纳"),
    "enforcement.fine_overdue": _("罚款逾期未缴"),
    "enforcement.penalty_fulfilled": _("行政处罚履行完毕"),
    "recalls.recall_filed": _("召回计划备案"),
    "recalls.notice_published": _("召回公告"),
    "recalls.report_late": _("召回报告逾期"),
    "recalls.defect_concealed": _("隐瞒缺陷"),
    "recalls.order_refused": _("拒不召回"),
    "recalls.recall_completed": _("召回完成"),
    "credit.listed": _("列入严重违法失信名单"),
    "credit.removed": _("移出严重违法失信名单"),
    "credit.penalty_repaired": _("行政处罚信息信用修复"),
}

SPECIAL_SECTORS = ("food", "drug", "special_equipment")


def kind_label(code: str) -> str:
    registered = fact_kinds().get(code)
    if registered is not None:
        return str(registered.label)
    return str(KIND_LABELS.get(code, code))


def active_record_kinds() -> list[str]:
    """The record kinds registered now (an unregistered kind is unknown: its facts are ignored)."""
    registered = fact_kinds()
    return [kind for kind in RECORD_KINDS if kind in registered]


def variant_sql() -> str:
    """The SQL CASE giving a fact's variant (alias f)."""
    branches = " ".join(f"WHEN f.kind = '{kind}' THEN {expr}" for kind, expr in VARIANT_SQL.items())
    return f"(CASE {branches} ELSE '' END)"
