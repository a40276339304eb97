"""Links to the evidence behind a warning: batches, clues, reports. URL names of other apps are tried and
skipped when absent (NoReverseMatch), so a warning renders whatever apps are installed."""

from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from core.facts import fact_kind_label

# The record a fact cites ("app.model") → the page that shows it (candidates, first that resolves wins).
SOURCE_URL_NAMES = {
    "sampling.sample": ["sampling:sample_detail"],
    "enforcement.clue": ["enforcement:clue_detail"],
    "enforcement.case": ["enforcement:case_detail"],
    "enforcement.payment": ["enforcement:case_detail"],
    "recalls.defectreport": ["recalls:defect_report_detail", "recalls:report_detail"],
    "recalls.recall": ["recalls:recall_detail"],
    "recalls.recallreport": ["recalls:recall_detail"],
}


def _source_name(source_type: str) -> str:
    """The Chinese name of the record a fact cites ("sampling.sample" → 抽样单)."""
    try:
        return str(apps.get_model(source_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return source_type


def _reverse(names, pk) -> str | None:
    for name in names:
        try:
            return reverse(name, args=[pk])
        except NoReverseMatch:
            continue
    return None


def _followup_samples(items) -> dict[int, int]:
    """Follow-up id → its sample's id, for the follow-up facts among ``items``: such evidence links to the sample's
    page (which shows the follow-up chain to every staff role of the jurisdiction), not to the step's own page,
    which only those who handle follow-ups may open."""
    ids = {
        int(item["source_id"])
        for item in items
        if item.get("source_type") == "sampling.followup" and str(item.get("source_id", "")).isdigit()
    }
    if not ids:
        return {}
    try:
        followup = apps.get_model("sampling", "FollowUp")
    except LookupError:
        return {}
    return dict(followup.objects.filter(pk__in=ids).values_list("pk", "sample_id"))


def evidence_rows(warning) -> list[dict]:
    """The warning's evidence as rows for pages and the API: kind label, label, date, detail and a URL or None."""
    rows = []
    followup_samples = _followup_samples(warning.evidence or [])
    for item in warning.evidence or []:
        if item.get("kind") == "sample":
            rows.append(
                {
                    "kind": "sample",
                    "kind_label": _("抽样单"),
                    "label": item.get("label", ""),
                    "detail": item.get("detail", ""),
                    "on": item.get("on", ""),
                    "url": _reverse(["sampling:sample_detail"], item.get("id")),
                }
            )
        else:
            source_id = item.get("source_id")
            url = None
            if item.get("source_type") == "sampling.followup":
                sample_id = followup_samples.get(int(source_id)) if str(source_id).isdigit() else None
                url = _reverse(["sampling:sample_detail"], sample_id) if sample_id else None
            elif source_id and str(source_id).isdigit():
                url = _reverse(SOURCE_URL_NAMES.get(item.get("source_type", ""), []), int(source_id))
            rows.append(
                {
                    "kind": "fact",
                    "kind_label": fact_kind_label(item.get("fact_kind", "")),
                    "label": item.get("label", "") or item.get("source_type", ""),
                    "detail": _source_name(item.get("source_type", "")),
                    "on": item.get("on", ""),
                    "url": url,
                }
            )
    return rows


def subject_url(warning) -> str | None:
    if warning.enterprise_id:
        return _reverse(["core:enterprise_detail"], warning.enterprise_id)
    return None
