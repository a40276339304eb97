"""Early warning (风险预警): the signal settings an administrator tunes, the warnings the signals raise, and each
time a signal fired for a period (the history the warning page charts). Workflows live in
``credit.warnings.services``; this module holds data and constraints."""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.transitions import known_states_check


class SignalCode(models.TextChoices):
    PASS_RATE_DROP_TYPE = "pass_rate_drop_type", _("产品合格率显著下降")
    PASS_RATE_DROP_REGION = "pass_rate_drop_region", _("地区合格率显著下降")
    REPEAT_FAILURE = "repeat_failure", _("企业反复不合格")
    REPEAT_ITEM = "repeat_item", _("企业同一项目多产品不合格")
    ITEM_SHARE_RISE = "item_share_rise", _("检验项目不合格占比上升")
    COMPLAINT_CLUSTER = "complaint_cluster", _("投诉举报和缺陷线索聚集")
    OVERDUE_CHAIN = "overdue_chain", _("企业多项义务逾期")


class WarningLevel(models.TextChoices):
    ATTENTION = "attention", _("关注")
    WARNING = "warning", _("预警")
    SEVERE = "severe", _("严重")


# The badge's CSS class of each level, for every page that shows one (list, detail, the home panel).
LEVEL_TONES = {WarningLevel.SEVERE: "overdue", WarningLevel.WARNING: "due", WarningLevel.ATTENTION: "pending"}


class WarningState(models.TextChoices):
    NEW = "new", _("新")
    ASSESSED = "assessed", _("已研判")
    HANDLED = "handled", _("已处置")
    DISMISSED = "dismissed", _("已排除")


OPEN_STATES = (WarningState.NEW, WarningState.ASSESSED)


class SubjectType(models.TextChoices):
    PRODUCT_TYPE = "product_type", _("产品种类")
    REGION = "region", _("地区")
    ENTERPRISE = "enterprise", _("企业")
    MODEL = "model", _("品牌型号")
    PRODUCT = "product", _("产品")
    TEST_ITEM = "test_item", _("检验项目")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent())
class WarningSignal(models.Model):
    """One signal's switch and parameters, as an administrator set them (defaults in credit.warnings.signals)."""

    code = models.CharField(_("预警信号"), max_length=32, choices=SignalCode.choices, unique=True)
    enabled = models.BooleanField(_("启用"), default=True)
    # {parameter name: value}; names, labels and bounds are declared with each signal.
    parameters = models.JSONField(_("参数"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("预警信号设置")
        verbose_name_plural = _("预警信号设置")
        ordering = ["code"]
        constraints = [known_states_check("code", SignalCode.values, "warning_signal_code_known")]

    def __str__(self) -> str:
        return self.get_code_display()


# The audit trail records what people do with a warning (研判, 处置, 排除, the task it became); the evaluator's
# raising and re-raising are recorded by raised_at, times_raised and WarningHit, and would cost a history row
# with the whole evidence per warning per run.
@pghistory.track(
    pghistory.UpdateEvent(
        condition=pghistory.AnyChange(
            "state", "assessment", "close_reason", "sampling_task", "assessed_by", "closed_by"
        )
    ),
    exclude=["figures", "evidence", "summary"],
)
class EarlyWarning(models.Model):
    """A warning a signal raised on a subject: its figures, its evidence, its level and where it stands."""

    signal = models.CharField(_("预警信号"), max_length=32, choices=SignalCode.choices)
    subject_type = models.CharField(_("预警对象类型"), max_length=16, choices=SubjectType.choices)
    # A stable key of the subject within its type: product type id, region code, enterprise id, "brand|model".
    subject_key = models.CharField(_("对象标识"), max_length=160)
    subject_name = models.CharField(_("预警对象"), max_length=200)
    subject_code = models.CharField(_("对象代码"), max_length=64, blank=True)
    enterprise = models.ForeignKey(
        "core.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="early_warnings",
    )  # fmt: skip
    product_type = models.ForeignKey(
        "core.ProductType", verbose_name=_("产品种类"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="early_warnings",
    )  # fmt: skip
    # The jurisdiction that must act: the region covering the subject (its county, city, province or the nation).
    region = models.ForeignKey(
        "core.Region", verbose_name=_("管辖地区"), on_delete=models.PROTECT, related_name="early_warnings"
    )
    level = models.CharField(_("预警等级"), max_length=10, choices=WarningLevel.choices)
    state = models.CharField(_("状态"), max_length=10, choices=WarningState.choices, default=WarningState.NEW)
    # The period last evaluated that raised it ("2017", "2017-Q3", "2017-05") and the first one.
    period = models.CharField(_("统计期间"), max_length=8)
    first_period = models.CharField(_("首次预警期间"), max_length=8)
    # Counts, rates, the test statistic and its threshold, as the signal computed them (see docs/early-warning.md).
    figures = models.JSONField(_("触发数据"), default=dict)
    # [{"kind": "sample"|"fact", "id": ..., "label": ..., ...}]: the batches, clues and reports behind it.
    evidence = models.JSONField(_("证据"), default=list, blank=True)
    summary = models.CharField(_("摘要"), max_length=255)
    times_raised = models.PositiveIntegerField(_("触发次数"), default=1)
    raised_at = models.DateTimeField(_("首次预警时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("研判人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    assessed_at = models.DateTimeField(_("研判时间"), null=True, blank=True)
    assessment = models.TextField(_("研判意见"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("处理人"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    close_reason = models.TextField(_("处置或排除理由"), blank=True)
    # The draft sampling task a product-type warning became (next round's plan).
    sampling_task = models.ForeignKey(
        "sampling.SamplingTask", verbose_name=_("列入的抽查任务"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="early_warnings",
    )  # fmt: skip

    class Meta:
        verbose_name = _("风险预警")
        verbose_name_plural = _("风险预警")
        ordering = ["-updated_at", "-id"]
        constraints = [
            known_states_check("state", WarningState.values, "early_warning_state_known"),
            known_states_check("level", WarningLevel.values, "early_warning_level_known"),
            known_states_check("signal", SignalCode.values, "early_warning_signal_known"),
            known_states_check("subject_type", SubjectType.values, "early_warning_subject_type_known"),
            # A signal raised again on a subject with an open warning updates that warning.
            models.UniqueConstraint(
                fields=["signal", "subject_type", "subject_key"],
                condition=Q(state__in=["new", "assessed"]),
                name="early_warning_one_open_per_subject",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["new", "assessed"]) | Q(closed_by__isnull=False),
                name="early_warning_closed_has_who",
            ),
        ]
        indexes = [
            # Jurisdiction scoping: region_id LIKE 'prefix%'.
            models.Index(fields=["region"], name="early_warning_region_idx", opclasses=["varchar_pattern_ops"]),
            # The draw's multiplier and the enterprise page: open warnings of enterprises.
            models.Index(
                fields=["enterprise"], name="early_warning_open_ent_idx", condition=Q(state__in=["new", "assessed"])
            ),
        ]

    @property
    def level_tone(self) -> str:
        return LEVEL_TONES.get(self.level, "pending")

    def __str__(self) -> str:
        return f"{self.get_signal_display()}：{self.subject_name}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def history_region_code(self) -> str:
        return self.region_id


class WarningHit(models.Model):
    """One period in which a signal fired on a warning's subject (what the history chart counts)."""

    warning = models.ForeignKey(EarlyWarning, verbose_name=_("风险预警"), on_delete=models.CASCADE, related_name="hits")
    signal = models.CharField(_("预警信号"), max_length=32, choices=SignalCode.choices)
    period = models.CharField(_("统计期间"), max_length=8)
    level = models.CharField(_("预警等级"), max_length=10, choices=WarningLevel.choices)
    figures = models.JSONField(_("触发数据"), default=dict)
    region = models.ForeignKey("core.Region", verbose_name=_("管辖地区"), on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField(_("评估时间"), auto_now=True)

    class Meta:
        verbose_name = _("预警触发记录")
        verbose_name_plural = _("预警触发记录")
        ordering = ["period", "id"]
        constraints = [models.UniqueConstraint(fields=["warning", "period"], name="warning_hit_once_per_period")]
        indexes = [
            # The history chart: hits per signal and period within a jurisdiction.
            models.Index(fields=["signal", "period"], name="warning_hit_signal_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.warning_id} {self.period}"


__all__ = [
    "EarlyWarning",
    "OPEN_STATES",
    "SignalCode",
    "SubjectType",
    "WarningHit",
    "WarningLevel",
    "WarningSignal",
    "WarningState",
]
