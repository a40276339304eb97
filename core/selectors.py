"""Reads scoped to a user's jurisdiction: the one place where scoping is decided."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from core.lookups import name_contains
from core.models import Enterprise, Region, User


def jurisdiction_prefix(user: User) -> str | None:
    """The region-code prefix a user may see; '' means everywhere, None means nothing."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return ""
    if user.role == "enterprise":
        # An enterprise account sees its own records through the apps' own selectors, nothing by region.
        return None
    return user.jurisdiction.scope_prefix


def region_q(user: User, field: str = "region") -> Q:
    """A filter on a region foreign key (``field``, a lookup path) limiting rows to the jurisdiction."""
    prefix = jurisdiction_prefix(user)
    if prefix is None:
        return Q(pk__in=[])
    if prefix == "":
        return Q()
    return Q(**{f"{field}__code__startswith": prefix})  # region_id__startswith is not a lookup on a FK


def scope_to_jurisdiction(queryset: QuerySet, user: User, field: str = "region") -> QuerySet:
    return queryset.filter(region_q(user, field))


def region_in_jurisdiction(user: User, region_code: str) -> bool:
    prefix = jurisdiction_prefix(user)
    return prefix is not None and region_code.startswith(prefix)


def enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    return scope_to_jurisdiction(Enterprise.objects.select_related("region"), user)


def regions_visible_to(user: User) -> QuerySet[Region]:
    prefix = jurisdiction_prefix(user)
    if prefix is None:
        return Region.objects.none()
    return Region.objects.filter(code__startswith=prefix) if prefix else Region.objects.all()


def can_change_enterprise(user: User, enterprise: Enterprise) -> bool:
    return region_in_jurisdiction(user, enterprise.region_id) and user.has_role(
        "inspector", "administrator", "case_handler"
    )


def enterprise_ids_named(text: str) -> QuerySet[Enterprise]:
    """Ids of enterprises whose name contains ``text`` (any case, wildcards literal), for a semi-join:
    ILIKE on the bare name is what the trigram index enterprise_name_trgm serves."""
    return Enterprise.objects.filter(name_contains("name", text.strip())).values("id")


def enterprise_search(queryset: QuerySet[Enterprise], text: str) -> QuerySet[Enterprise]:
    """Name or USCC search; trigram-indexed substring match on the name (ILIKE, which the index serves)."""
    text = text.strip()
    if not text:
        return queryset
    return queryset.filter(name_contains("name", text) | Q(uscc=text.upper()))
