"""Reads of cases, scoped to the user's jurisdiction (core.selectors) — the only way pages and the API get them."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from core.facts import public_facts_q
from core.models_facts import EnterpriseFact
from core.models_timelimits import Clock, ClockState
from core.selectors import scope_to_jurisdiction
from enforcement import policies
from enforcement.models import DECIDED_STATES, TERMINAL_STATES, Case, CaseStatus, Clue, PenaltyPublication

DUE_SOON_DAYS = 7
LIST_STATES = ("open", "overdue", "due_soon", "paused", "review", "closed", "all")


def cases_visible_to(user) -> QuerySet[Case]:
    if not policies.can_view_cases(user):
        return Case.objects.none()
    return scope_to_jurisdiction(Case.objects.all(), user)


def paused_q() -> Q:
    clocks = Clock.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id=Cast(OuterRef("pk"), output_field=CharField()),
        state=ClockState.PAUSED,
    )
    return Q(Exists(clocks))


def case_list(user, *, state: str = "open", status: str = "", query: str = "", today: dt.date | None = None):
    """The case list of the user's jurisdiction, filtered; one query whatever the page size."""
    today = today or timezone.localdate()
    qs = cases_visible_to(user).select_related("region")
    if state == "open":
        qs = qs.exclude(status__in=TERMINAL_STATES)
    elif state == "overdue":
        qs = qs.filter(next_due_on__lt=today).exclude(status__in=TERMINAL_STATES)
    elif state == "due_soon":
        qs = qs.filter(next_due_on__gte=today, next_due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS)).exclude(
            status__in=TERMINAL_STATES
        )
    elif state == "paused":
        qs = qs.filter(paused_q()).exclude(status__in=TERMINAL_STATES)
    elif state == "review":
        qs = qs.filter(status=CaseStatus.LEGAL_REVIEW)
    elif state == "closed":
        qs = qs.filter(status__in=TERMINAL_STATES)
    if status:
        qs = qs.filter(status=status)
    query = (query or "").strip()
    if query:
        qs = qs.filter(Q(case_no__icontains=query) | Q(party_name__icontains=query) | Q(decision_no__icontains=query))
    if state in ("overdue", "due_soon"):
        return qs.order_by("next_due_on", "id")
    return qs.order_by("-created_at", "-id")


def my_cases(user):
    return cases_visible_to(user).filter(handlers=user).exclude(status__in=TERMINAL_STATES)


def clues_of_case(case: Case) -> QuerySet[Clue]:
    return case.clues.select_related("sample", "followup", "enterprise", "product_type").order_by("received_on", "id")


def clue_for_sample(sample) -> Clue | None:
    return Clue.objects.filter(sample=sample).select_related("case").order_by("-id").first()


def clue_for_followup(followup) -> Clue | None:
    return (
        Clue.objects.filter(Q(followup=followup) | Q(sample_id=followup.sample_id))
        .select_related("case")
        .order_by("-id")
        .first()
    )


# --- Public ---------------------------------------------------------------------------------------


def public_penalties(on: dt.date | None = None) -> QuerySet[PenaltyPublication]:
    """Publications the public may see on ``on``: not withdrawn, within the display period, the case decided,
    and the ledger's published fact still public (not ended by a withdrawal or a credit repair)."""
    on = on or timezone.localdate()
    facts = EnterpriseFact.objects.filter(
        public_facts_q(on),
        kind="enforcement.penalty_published",
        source_type="enforcement.penaltypublication",
        source_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    has_fact = Exists(facts)
    no_enterprise = Q(case__enterprise__isnull=True)
    return (
        PenaltyPublication.objects.filter(
            withdrawn_on__isnull=True,
            published_on__lte=on,
            display_until__gte=on,
            case__status__in=DECIDED_STATES,
        )
        .filter(has_fact | no_enterprise)
        .select_related("region")
        .order_by("-published_on", "-id")
    )


def publications_visible_to(user) -> QuerySet[PenaltyPublication]:
    if not policies.can_view_cases(user):
        return PenaltyPublication.objects.none()
    return scope_to_jurisdiction(PenaltyPublication.objects.select_related("case", "region"), user)


def publications_to_withdraw(user) -> QuerySet[PenaltyPublication]:
    """Publications whose decision was changed, revoked or held void and that are still up, earliest due first."""
    return (
        publications_visible_to(user)
        .filter(overturned_on__isnull=False, withdrawn_on__isnull=True)
        .order_by("withdrawal_due_on", "id")
    )
