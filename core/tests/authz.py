"""Authorization matrix declarations of core's pages and API (framework: tests/security/test_authz_matrix.py)."""

from __future__ import annotations

from tests.security.authz import DENIED, HIDDEN, LOGIN, OK, Rule, public, scoped, signed_in, staff


def _enterprise(ctx):
    return ctx["enterprise"]


def _report(ctx):
    from django.core.files.base import ContentFile

    from core.models_reports import Report

    report = Report(
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

AUDIT = ("leader", "administrator", "legal_reviewer")

PAGES = {
    "home": Rule(read=signed_in()),
    "login": Rule(read=public(), write=public()),
    "logout": Rule(write=public()),
    "set_language": Rule(write=public()),
    "api-schema": Rule(read=public()),
    "api-docs": Rule(read=public()),
    "api-redoc": Rule(read=public()),
    "core:enterprise_list": Rule(read=staff()),
    "core:enterprise_detail": Rule(obj="enterprise", read=scoped()),
    "core:history": Rule(
        obj="enterprise",
        kwargs=lambda e: {"app_label": "core", "model_name": "enterprise", "pk": e.pk},
        read=scoped(AUDIT, refused=DENIED),
    ),
    "core:protected_file": Rule(
        obj="photo", kwargs=lambda p: {"label": "sampling.samplephoto", "pk": p.pk, "field": "image"}, read=scoped()
    ),
    "core:report_list": Rule(read=staff()),
    "core:report_request": Rule(write=staff()),
    "core:report_detail": Rule(obj="report", read=scoped()),
    "core:report_status": Rule(obj="report", read=scoped()),
    "core:report_view": Rule(obj="report", read=scoped()),
    "core:report_download": Rule(obj="report", read=scoped()),
}

API = {
    "POST /api/v1/auth/token/": Rule(write=public()),
    "GET /api/v1/regions/": Rule(read=signed_in()),
    "GET /api/v1/regions/{code}/": Rule(obj="region", kwargs=lambda r: {"code": r.code}, read=signed_in()),
    "GET /api/v1/enterprises/": Rule(read=staff()),
    "POST /api/v1/enterprises/": Rule(write=staff()),
    "GET /api/v1/enterprises/{id}/": Rule(obj="enterprise", read=scoped()),
    "PUT /api/v1/enterprises/{id}/": Rule(obj="enterprise", write=scoped()),
    "PATCH /api/v1/enterprises/{id}/": Rule(obj="enterprise", write=scoped()),
    "GET /api/v1/institutions/": Rule(read=signed_in()),
    "GET /api/v1/institutions/{id}/": Rule(obj="institution", read=signed_in()),
    "GET /api/v1/product-groups/": Rule(read=signed_in()),
    "GET /api/v1/product-groups/{id}/": Rule(obj="product_group", read=signed_in()),
    "GET /api/v1/product-types/": Rule(read=signed_in()),
    "GET /api/v1/product-types/{id}/": Rule(obj="product_type", read=signed_in()),
}

_unused = (HIDDEN, LOGIN, OK)
