"""Authorization matrix declarations of core's pages and API (framework: tests/security/test_authz_matrix.py)."""

from __future__ import annotations

from tests.security.authz import (
    ALL_ROLES,
    DENIED,
    HIDDEN,
    LOGIN,
    NOT_ALLOWED,
    OK,
    STAFF_ROLES,
    Access,
    Rule,
    public,
    scoped,
    signed_in,
    staff,
)


def _enterprise(ctx):
    return ctx["enterprise"]


def _report(ctx):
    from django.core.files.base import ContentFile

    from core.models_reports import Report
    from core.reports import pipeline
    from core.reports.periods import Period
    from core.reports.registry import get_kind

    region = ctx["regions"]["430102"]
    report = Report(
        snapshot=pipeline.build_snapshot(get_kind("pass_rate"), Period.parse("2017"), region),
        kind="pass_rate",
        period="2017",
        period_start="2017-01-01",
        period_end="2017-12-31",
        jurisdiction=ctx["regions"]["430102"],
        title="芙蓉区2017年报告",
        status="done",
    )
    report.file.save("matrix.pdf", ContentFile(b"%PDF-1.4\n%%EOF"), save=False)
    report.save()
    return report


def _photo(ctx):
    from django.core.files.base import ContentFile

    from core.uploads import generated_name
    from sampling.models import SamplePhoto
    from sampling.tests.authz import OBJECTS
    from tests.security.corpus import png

    sample = OBJECTS["sample"](ctx)
    photo = SamplePhoto(sample=sample, uploaded_by=ctx["users"]["inspector@own"])
    photo.image.save(generated_name("png"), ContentFile(png()), save=True)
    return photo


def _institution(ctx):
    return ctx["institution"]


def _product_group(ctx):
    from core.tests.factories import ProductTypeFactory

    return ProductTypeFactory().group


def _product_type(ctx):
    from core.tests.factories import ProductTypeFactory

    return ProductTypeFactory()


OBJECTS = {
    "enterprise": _enterprise,
    "report": _report,
    "photo": _photo,
    "institution": _institution,
    "product_group": _product_group,
    "product_type": _product_type,
    "region": lambda ctx: ctx["regions"]["430102"],
}

AUDIT = ("legal_reviewer", "leader", "administrator")
REPORT_READERS = ("inspector", "case_handler", "legal_reviewer", "leader", "administrator")

PAGES = {
    "home": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "login": Rule(
        read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
        write=Access(roles=ALL_ROLES, scoped=False, anonymous=OK),
    ),
    "logout": Rule(write=Access(roles=(), scoped=False, refused=LOGIN)),
    "set_language": Rule(write=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "api-schema": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "api-docs": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "api-redoc": Rule(read=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "core:deadlines": Rule(read=public()),
    "core:enterprise_list": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "core:enterprise_detail": Rule(
        obj="enterprise",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "core:history": Rule(
        obj="enterprise",
        kwargs=lambda e: {"app_label": "core", "model_name": "enterprise", "pk": e.pk},
        read=Access(roles=AUDIT),
    ),
    "core:protected_file": Rule(
        obj="photo",
        kwargs=lambda p: {"label": "sampling.samplephoto", "pk": p.pk, "field": "image"},
        read=scoped(STAFF_ROLES),
    ),
    "core:report_list": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "core:report_request": Rule(write=Access(roles=ALL_ROLES, scoped=False)),
    "core:report_detail": Rule(
        obj="report",
        read=scoped(("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), refused=HIDDEN),
    ),
    "core:report_status": Rule(
        obj="report",
        read=scoped(("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), refused=HIDDEN),
    ),
    "core:report_view": Rule(obj="report", read=scoped(REPORT_READERS, refused=HIDDEN)),
    "core:report_download": Rule(
        obj="report",
        read=scoped(("inspector", "case_handler", "legal_reviewer", "leader", "administrator"), refused=HIDDEN),
    ),
}

API = {
    "POST /api/v1/auth/token/": Rule(write=Access(roles=ALL_ROLES, scoped=False, anonymous=OK)),
    "GET /api/v1/public/deadlines/": Rule(read=public()),
    "GET /api/v1/regions/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/regions/{code}/": Rule(
        obj="region", kwargs=lambda r: {"code": r.code}, read=Access(roles=ALL_ROLES, scoped=False)
    ),
    "GET /api/v1/enterprises/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "POST /api/v1/enterprises/": Rule(write=Access(roles=("inspector", "case_handler", "administrator"), scoped=False)),
    "GET /api/v1/enterprises/{id}/": Rule(
        obj="enterprise",
        read=scoped(("inspector", "institution", "case_handler", "legal_reviewer", "leader", "administrator")),
    ),
    "PUT /api/v1/enterprises/{id}/": Rule(
        obj="enterprise", write=Access(roles=("inspector", "case_handler", "administrator"))
    ),
    "PATCH /api/v1/enterprises/{id}/": Rule(
        obj="enterprise", write=Access(roles=("inspector", "case_handler", "administrator"))
    ),
    "GET /api/v1/institutions/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/institutions/{id}/": Rule(obj="institution", read=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/product-groups/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/product-groups/{id}/": Rule(obj="product_group", read=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/product-types/": Rule(read=Access(roles=ALL_ROLES, scoped=False)),
    "GET /api/v1/product-types/{id}/": Rule(obj="product_type", read=Access(roles=ALL_ROLES, scoped=False)),
}

_unused = (ALL_ROLES, DENIED, LOGIN, NOT_ALLOWED, OK, public, signed_in, staff)
