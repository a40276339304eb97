"""Writes of core reference data: one function per use case."""

from __future__ import annotations

import re

from django.db import connection, transaction
from django.utils.translation import gettext as _

from core.errors import PermissionDenied
from core.models import Enterprise, User
from core.selectors import can_change_enterprise

ENTERPRISE_FIELDS = ("name", "uscc", "legal_representative", "address", "region", "industry", "size", "status")


def enterprise_create(*, user: User, **fields) -> Enterprise:
    """Register an enterprise; staff add enterprises only in their own jurisdiction."""
    enterprise = Enterprise(**{k: v for k, v in fields.items() if k in ENTERPRISE_FIELDS})
    if not can_change_enterprise(user, enterprise):
        raise PermissionDenied(_("所在地区不在您的管辖范围内，或您的角色不能登记企业。"))
    enterprise.full_clean()
    enterprise.save()
    return enterprise


def enterprise_update(*, user: User, enterprise: Enterprise, **fields) -> Enterprise:
    """Change an enterprise's basic data; only in the user's jurisdiction, and it cannot be moved out of it.

    The credit class is written by the credit app and is not changed here.
    """
    with transaction.atomic():
        enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
        if not can_change_enterprise(user, enterprise):
            raise PermissionDenied(_("您无权修改该企业的信息。"))
        changed = [k for k, v in fields.items() if k in ENTERPRISE_FIELDS and getattr(enterprise, k) != v]
        for name in changed:
            setattr(enterprise, name, fields[name])
        if not can_change_enterprise(user, enterprise):
            raise PermissionDenied(_("不能把企业移到您的管辖范围之外。"))
        if changed:
            enterprise.full_clean()
            enterprise.save(update_fields=[*changed, "updated_at"])
    return enterprise


CREDIT_CLASSES = ("", "A", "B", "C", "D")


def enterprise_set_credit_class(*, enterprise: Enterprise, credit_class: str) -> bool:
    """Write an enterprise's credit class (企业信用风险分类) as the credit app computed it; the sampling draw
    reads it. The credit app keeps the cause of each change; this only stores the class. Returns whether
    it changed."""
    if credit_class not in CREDIT_CLASSES:
        raise ValueError(credit_class)
    changed = (
        Enterprise.objects.filter(pk=enterprise.pk).exclude(credit_class=credit_class).update(credit_class=credit_class)
    )
    return bool(changed)


def enterprise_set_credit_classes(*, source: str) -> int:
    """The same write, set-based, for a recomputation of many enterprises: ``source`` names a table (usually the
    credit app's temporary table) with columns ``enterprise_id`` and ``credit_class``. Refuses the whole write when
    any class is unknown. Returns how many enterprises changed class."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", source):
        raise ValueError(source)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT credit_class FROM {source} WHERE credit_class <> ALL(%s) LIMIT 1", [list(CREDIT_CLASSES)]
        )
        unknown = cursor.fetchone()
        if unknown is not None:
            raise ValueError(unknown[0])
        cursor.execute(
            f"UPDATE core_enterprise e SET credit_class = n.credit_class FROM {source} n"
            " WHERE e.id = n.enterprise_id AND e.credit_class <> n.credit_class"
        )
        return cursor.rowcount


def enterprise_product_lines_add(pairs) -> int:
    """Add (enterprise id, product type id) pairs to enterprises' product lines; existing pairs are kept.
    Returns how many were added. Imports call it with what each batch was sampled for."""
    through = Enterprise.product_lines.through
    rows = sorted(set(pairs))
    if not rows:
        return 0
    # One statement per chunk; the rows it returns are the pairs actually added (no count of the whole table).
    sql = (
        f"INSERT INTO {connection.ops.quote_name(through._meta.db_table)} (enterprise_id, producttype_id) "
        "SELECT * FROM unnest(%s::bigint[], %s::bigint[]) ON CONFLICT DO NOTHING RETURNING 1"
    )
    added = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk = rows[start : start + 5000]
            cursor.execute(sql, [[e for e, _t in chunk], [t for _e, t in chunk]])
            added += len(cursor.fetchall())
    return added


@transaction.atomic
def enterprise_account_create(*, enterprise: Enterprise, username: str, password: str, **fields) -> User:
    """An enterprise's own account (企业用户), bound to its USCC: it sees only its own records and files
    recalls, objections and credit applications for it. Idempotent on the username."""
    from core.models import Role

    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": Role.ENTERPRISE,
            "enterprise": enterprise,
            "jurisdiction_id": enterprise.region_id,
            "first_name": fields.get("first_name", ""),
            "last_name": fields.get("last_name", enterprise.name[:150]),
            "organisation": enterprise.name[:128],
            "phone": fields.get("phone", ""),
        },
    )
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    elif user.enterprise_id != enterprise.pk:
        raise PermissionDenied(_("用户名“%(name)s”已被其他账号使用。") % {"name": username})
    return user


@transaction.atomic
def staff_account_create(
    *, username: str, role: str, jurisdiction_code: str, password_hash: str, enforcement_credential: str = "", **fields
) -> tuple[User, bool]:
    """A staff account of a jurisdiction (loaders: the demo roster). Idempotent on the username: an existing
    account keeps its password and data, except that an inspector without a credential gets the one given.
    ``password_hash`` is an already hashed password (make_password), so a loader hashes once for many."""
    from core.models import Role

    if role == Role.ENTERPRISE:
        raise PermissionDenied(_("企业用户请通过企业账号登记。"))
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "role": role,
            "jurisdiction_id": jurisdiction_code,
            "password": password_hash,
            "enforcement_credential": enforcement_credential,
            **fields,
        },
    )
    if not created and enforcement_credential and not user.enforcement_credential.strip():
        user.enforcement_credential = enforcement_credential
        user.save(update_fields=["enforcement_credential"])
    return user, created


# --- Draw weight multipliers ---------------------------------------------------------------------------
# Higher apps (early warning) raise an enterprise's draw weight while something about it is open; the draw
# reads the product of the registered providers' multipliers without importing those apps.
_draw_weight_providers: list = []


def register_draw_weight_provider(provider) -> None:
    """``provider(enterprise_ids) -> {enterprise_id: multiplier}``; called from an AppConfig.ready()."""
    if provider not in _draw_weight_providers:
        _draw_weight_providers.append(provider)


def draw_weight_multipliers(enterprise_ids) -> dict[int, float]:
    """{enterprise_id: multiplier ≠ 1} for the given enterprises: the product of every provider's multiplier."""
    ids = list(enterprise_ids)
    result: dict[int, float] = {}
    for provider in _draw_weight_providers:
        for enterprise_id, multiplier in provider(ids).items():
            result[enterprise_id] = result.get(enterprise_id, 1.0) * float(multiplier)
    return {pk: m for pk, m in result.items() if m != 1.0}
