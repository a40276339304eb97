"""The enterprise fact ledger (涉企信息归集): typed facts recorded under an enterprise's USCC by the apps
that cause them, in the same transaction. Insert-only; higher apps (credit, early warning) read facts,
never lower apps' tables. A fact that ends another (a withdrawal, a repair) cites it in ``ends``."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class EnterpriseFact(models.Model):
    enterprise = models.ForeignKey(
        "core.Enterprise", verbose_name=_("企业"), on_delete=models.PROTECT, related_name="facts"
    )
    # Copied from the enterprise when recorded: the USCC the fact was collected under, and its region.
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    region_code = models.CharField(_("所在地区"), max_length=6)
    # "<app>.<what>", registered by the app that records it (core.facts.register_fact_kind).
    kind = models.CharField(_("类型"), max_length=64)
    occurred_on = models.DateField(_("发生日期"))
    # The record that caused it, e.g. ("sampling.sample", "123", "HN2026-001").
    source_type = models.CharField(_("来源"), max_length=64)
    source_id = models.CharField(_("来源记录"), max_length=64)
    source_label = models.CharField(_("来源编号"), max_length=128, blank=True)
    # Distinguishes repeated facts of one kind about one record (e.g. a second publication).
    ref = models.CharField(_("区分号"), max_length=64, blank=True, default="")
    summary = models.CharField(_("摘要"), max_length=255, blank=True)
    data = models.JSONField(_("内容"), default=dict, blank=True)
    # Whether, and from when to when, the fact may be shown to the public (null from: never).
    public_from = models.DateField(_("公示起"), null=True, blank=True)
    public_until = models.DateField(_("公示止"), null=True, blank=True)
    ends = models.ForeignKey(
        "self", verbose_name=_("终止的信息"), on_delete=models.PROTECT, null=True, blank=True, related_name="ended_by"
    )
    recorded_at = models.DateTimeField(_("归集时间"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("涉企信息")
        verbose_name_plural = _("涉企信息")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source_type", "source_id", "ref"], name="fact_once_per_source_kind_ref"
            ),
            models.CheckConstraint(
                condition=Q(public_until__isnull=True) | Q(public_from__isnull=False),
                name="fact_public_until_needs_from",
            ),
            models.CheckConstraint(
                condition=Q(public_until__isnull=True) | Q(public_until__gte=F("public_from")),
                name="fact_public_period_ordered",
            ),
        ]
        indexes = [
            # One enterprise's facts, newest first (profile, credit records).
            models.Index(fields=["enterprise", "-occurred_on"], name="fact_enterprise_idx"),
            # An enterprise's public facts of one kind, newest first (each section of the public credit profile
            # reads a page of them): an enterprise with thousands of facts is read in order, never scanned.
            models.Index(
                fields=["enterprise", "kind", "-occurred_on", "-id"],
                name="fact_public_enterprise_idx",
                condition=Q(public_from__isnull=False),
            ),
            # Credit recomputation and warnings read facts by kind and date.
            models.Index(fields=["kind", "occurred_on"], name="fact_kind_date_idx"),
            # Jurisdiction scoping: region_code LIKE 'prefix%'.
            models.Index(fields=["region_code"], name="fact_region_idx", opclasses=["varchar_pattern_ops"]),
        ]
        # Facts are evidence: corrected by a new fact that ends the old one, never edited or removed.
        triggers = [
            pgtrigger.Protect(name="fact_insert_only", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.uscc} {self.kind} {self.occurred_on}"

    @property
    def history_region_code(self) -> str:
        return self.region_code
