"""What enforcement puts on other pages: home-page due items (core.home) and links on a failed sample and on
its 移送立案查处 step (core.links), so that sampling never names enforcement."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.home import DueItem
from core.links import RecordLink
from enforcement import policies
from enforcement.models import TERMINAL_STATES, CaseStatus
from enforcement.selectors import (
    DUE_SOON_DAYS,
    cases_visible_to,
    clue_for_followup,
    clue_for_sample,
    publications_to_withdraw,
)

HOME_LIMIT = 20


def case_due_items(user) -> list[DueItem]:
    """Handlers: their open cases overdue or due within 7 days; leaders: the jurisdiction's overdue cases and
    the filings waiting for approval; legal reviewers: the cases waiting for review."""
    if not policies.can_view_cases(user):
        return []
    today = timezone.localdate()
    visible = cases_visible_to(user).exclude(status__in=TERMINAL_STATES)
    items: list[DueItem] = []
    category = _("执法办案")
    if user.has_role("leader"):
        for case in visible.filter(next_due_on__lt=today).order_by("next_due_on", "id")[:HOME_LIMIT]:
            items.append(_due(case, category))
        for publication in publications_to_withdraw(user)[:HOME_LIMIT]:
            items.append(
                DueItem(
                    title=_("%(no)s %(party)s：撤下行政处罚信息公示（决定已被%(kind)s）")
                    % {
                        "no": publication.case.case_no,
                        "party": publication.party_name,
                        "kind": publication.get_overturn_kind_display(),
                    },
                    url=_url(publication.case),
                    due_on=publication.withdrawal_due_on,
                    category=category,
                )
            )
        for case in visible.filter(status=CaseStatus.FILING_APPROVAL).order_by("id")[:HOME_LIMIT]:
            items.append(
                DueItem(title=_("%(no)s 待批准立案") % {"no": case.case_no}, url=_url(case), category=category)
            )
    if user.has_role("case_handler"):
        soon = today + dt.timedelta(days=DUE_SOON_DAYS)
        mine = visible.filter(handlers=user, next_due_on__lte=soon).order_by("next_due_on", "id")[:HOME_LIMIT]
        items.extend(_due(case, category) for case in mine)
    if user.has_role("legal_reviewer"):
        for case in visible.filter(status=CaseStatus.LEGAL_REVIEW).exclude(handlers=user).order_by("id")[:HOME_LIMIT]:
            items.append(
                DueItem(title=_("%(no)s 待法制审核") % {"no": case.case_no}, url=_url(case), category=category)
            )
    return items


def _url(case) -> str:
    return reverse("enforcement:case_detail", args=[case.pk])


def _due(case, category) -> DueItem:
    return DueItem(
        title=_("%(no)s %(party)s：%(what)s")
        % {"no": case.case_no, "party": case.party_name, "what": case.next_due_label},
        url=_url(case),
        due_on=case.next_due_on,
        category=category,
    )


def sample_links(request, sample) -> list[RecordLink]:
    """On a failed sample's page: its case, or the action 移送立案查处 for those who may register a clue."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or sample.final_verdict != "fail":
        return []
    clue = clue_for_sample(sample)
    if clue is not None:
        if not policies.can_view_case(user, clue.case):
            return []
        return [
            RecordLink(
                label=_("执法案件 %(no)s（%(status)s）")
                % {"no": clue.case.case_no, "status": clue.case.get_status_display()},
                url=_url(clue.case),
            )
        ]
    if policies.can_register_clue(user, sample.region_id):
        return [
            RecordLink(
                label=_("移送立案查处"),
                url=reverse("enforcement:case_from_sample", args=[sample.pk]),
                post=True,
                style="primary",
            )
        ]
    return []


def followup_links(request, followup) -> list[RecordLink]:
    """On the post-processing step 移送立案查处: the case it opened, or the action that opens it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or followup.step != "referral":
        return []
    clue = clue_for_followup(followup)
    if clue is not None:
        if not policies.can_view_case(user, clue.case):
            return []
        return [
            RecordLink(
                label=_("执法案件 %(no)s（%(status)s）")
                % {"no": clue.case.case_no, "status": clue.case.get_status_display()},
                url=_url(clue.case),
            )
        ]
    if followup.sample.final_verdict == "fail" and policies.can_register_clue(user, followup.sample.region_id):
        return [
            RecordLink(
                label=_("移送立案查处：登记案件线索"),
                url=reverse("enforcement:case_from_followup", args=[followup.pk]),
                post=True,
                style="primary",
            )
        ]
    return []
