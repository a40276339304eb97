"""Authorization matrix declarations of recalls's pages and API (framework: tests/security/test_authz_matrix.py).

Every record is made through the services in 芙蓉区 (430102, the "own" county) for the matrix's own enterprise, so
enterprise@own is its producer: it sees its recalls (and investigations once concluded), never defect reports filed by
the public. Staff outside RECALL_STAFF (institution, legal reviewer) are shown nothing (404), like the neighbour.
"""

from __future__ import annotations

import datetime as dt

from tests.security.authz import ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, Rule, public, scoped, staff

RECALL_STAFF = ("inspector", "case_handler", "leader", "administrator")
DECIDERS = ("leader", "administrator")


def _filed_recall(ctx):
    from recalls.tests.factories import filed_recall

    return filed_recall(ctx["users"]["case_handler@own"], ctx["enterprise"])


def _published_recall(ctx):
    from recalls.tests.factories import published_recall

    return published_recall(ctx["users"]["case_handler@own"], ctx["users"]["leader@own"], ctx["enterprise"])


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _defect_report(ctx):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from recalls.services.defect_reports import defect_report_submit

    return defect_report_submit(
        category="consumer",
        product="电热水壶",
        brand="美厨",
        model="MK-15A",
        description="使用中壶底漏电，手触壶身有麻感。",
        region=ctx["regions"]["430102"],
        reporter_name="李四",
        reporter_phone="13900000000",
        photos=[SimpleUploadedFile("kettle.png", _png(), content_type="image/png")],
        today=dt.date.today(),
    )


def _defect_photo(ctx):
    return _defect_report(ctx).photos.order_by("id").first()


def _investigation(ctx):
    """An open investigation (the producer is not shown it until it is concluded)."""
    from recalls.services.investigations import investigation_open

    return investigation_open(
        user=ctx["users"]["leader@own"],
        producer=ctx["enterprise"],
        category="consumer",
        product="电热水壶",
        brand="美厨",
        models_text="MK-15A",
        opened_on=dt.date.today(),
    )


OBJECTS = {
    "recall_filed": _filed_recall,
    "recall_published": _published_recall,
    "defect_report": _defect_report,
    "defect_photo": _defect_photo,
    "investigation": _investigation,
}

# One recall: recall staff of the county and the city, and the producer's own account; everyone else is shown nothing.
RECALL_READ = Access(roles=(*RECALL_STAFF, "enterprise"), refused=HIDDEN)
# Staff-only records (defect reports from the public, open investigations): recall staff of the county and the city.
STAFF_READ = Access(roles=RECALL_STAFF, refused=HIDDEN)

# Staff outside RECALL_STAFF of the county and the city are shown no recall or investigation (404).
NOT_RECALL_STAFF = {
    f"{role}@{place}": HIDDEN for role in ("institution", "legal_reviewer") for place in ("own", "parent")
}
# A decision on a recall: the deciders; the producer sees the recall but may not decide (403).
DECIDE_RECALL = Access(roles=DECIDERS, outsiders=HIDDEN, cells={**NOT_RECALL_STAFF, "enterprise@own": DENIED})
DECIDE_INVESTIGATION = Access(roles=DECIDERS, outsiders=HIDDEN, cells=NOT_RECALL_STAFF)
# Public GET-only pages.
GET_ONLY = Access(roles=(), scoped=False, refused=NOT_ALLOWED, anonymous=NOT_ALLOWED)

PAGES = {
    "recalls:dashboard": Rule(read=staff(RECALL_STAFF)),
    "recalls:defect_report_list": Rule(read=staff(RECALL_STAFF)),
    "recalls:investigation_list": Rule(read=staff((*RECALL_STAFF, "enterprise"))),
    "recalls:investigation_open": Rule(read=staff(RECALL_STAFF), write=staff(RECALL_STAFF)),
    "recalls:recall_file": Rule(read=staff((*RECALL_STAFF, "enterprise")), write=staff((*RECALL_STAFF, "enterprise"))),
    "recalls:recall_list": Rule(read=staff((*RECALL_STAFF, "enterprise"))),
    "recalls:recall_detail": Rule(obj="recall_filed", read=RECALL_READ, write=RECALL_READ),
    "recalls:recall_chart": Rule(obj="recall_filed", read=RECALL_READ, write=RECALL_READ),
    # 终止召回 (a filed recall): the deciders of its jurisdiction; the producer sees the recall but may not (403).
    "recalls:recall_action": Rule(
        obj="recall_filed",
        kwargs=lambda recall: {"pk": recall.pk, "action": "terminate"},
        read=DECIDE_RECALL,
        write=DECIDE_RECALL,
    ),
    "recalls:defect_report_detail": Rule(obj="defect_report", read=STAFF_READ, write=STAFF_READ),
    # A photo is found by its id, then refused (403) to anyone who may not see its report; a POST is a GET.
    "recalls:defect_photo": Rule(
        obj="defect_photo",
        read=Access(roles=RECALL_STAFF, neighbour=DENIED),
        write=Access(roles=RECALL_STAFF, neighbour=DENIED),
    ),
    "recalls:investigation_detail": Rule(obj="investigation", read=STAFF_READ, write=STAFF_READ),
    # 作出结论 (an open investigation): the deciders of its jurisdiction; the empty form is a 400.
    "recalls:investigation_action": Rule(
        obj="investigation",
        kwargs=lambda investigation: {"pk": investigation.pk, "action": "conclude"},
        read=DECIDE_INVESTIGATION,
        write=DECIDE_INVESTIGATION,
    ),
    "recalls_public:feed": Rule(read=public()),
    "recalls_public:lookup": Rule(read=public(), write=GET_ONLY),
    "recalls_public:report": Rule(read=public(), write=public()),
    "recalls_public:report_done": Rule(read=public()),
    "recalls_public:search": Rule(read=public()),
    "recalls_public:notice": Rule(obj="recall_published", read=public(), write=GET_ONLY),
    "recalls_public:notice_chart": Rule(obj="recall_published", read=public(), write=GET_ONLY),
}

API = {
    "GET /api/v1/public/recalls/": Rule(read=public()),
    "POST /api/v1/public/defect-reports/": Rule(write=public()),
    "GET /api/v1/public/recalls/{id}/": Rule(obj="recall_published", read=public()),
}

PENDING: list[str] = []

_unused = (ALL_ROLES, DENIED, HIDDEN, LOGIN, NOT_ALLOWED, OK, Access, public, scoped, staff)
