"""Public pages of the draw (双随机的“一公开”): a task's draws once its announcement is published, with the frozen
pool as JSON and a re-run on the server, so that anyone can check the drawn list for themselves (docs/draw.md)."""

from __future__ import annotations

import json

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.views.decorators.http import require_GET

from core.models import Enterprise, ProductType
from sampling.models import Draw, Stage
from sampling.selectors import public_draws
from sampling.services.draw import ALGORITHM, SELLER_INDUSTRIES, draw_verify, pool_rows

# The re-run as published on the page and in docs/draw.md (tests run it against the downloaded pool).
RERUN_SNIPPET = """\
import hashlib, json, random

data = json.load(open("pool.json", encoding="utf-8"))
pool = data["pool"]  # [[enterprise_id, uscc, credit_class, weight], ...] by enterprise id
canonical = json.dumps(pool, ensure_ascii=False, separators=(",", ":"))
print("pool_sha256 ok:", hashlib.sha256(canonical.encode("utf-8")).hexdigest() == data["pool_sha256"])

rng = random.Random(data["seed"])
keys = []
for position, (enterprise_id, uscc, credit_class, weight) in enumerate(pool):
    u = rng.random()  # one number per candidate, in pool order
    if weight > 0:
        keys.append((u ** (1.0 / weight), -position, uscc))
keys.sort(reverse=True)
drawn = [uscc for _key, _position, uscc in keys[: data["count"]]]
print("drawn:", drawn)
print("same as published:", drawn == data["drawn"])
"""


def _public_draw(pk: int) -> Draw:
    draw = get_object_or_404(public_draws(), pk=pk)
    if not draw.pool_sha256:
        raise Http404  # draws made before pools were hashed are not offered for public verification
    return draw


def _drawn_usccs(draw: Draw) -> list[str]:
    by_id = {row[0]: row[1] for row in pool_rows(draw)}
    return [by_id.get(int(e), "") for e in draw.selected]


def pool_document(draw: Draw) -> dict:
    """The downloadable pool: everything the re-run needs, nothing about inspectors."""
    return {
        "draw": draw.pk,
        "task": draw.task.code,
        "attempt": draw.attempt,
        "drawn_at": draw.created_at.isoformat(),
        "algorithm": draw.criteria.get("algorithm", ALGORITHM),
        "seed": draw.seed,
        "count": int(draw.criteria.get("count", len(draw.selected))),
        "weights": draw.weights,
        "unrated_counts_as": "B",
        "pool_format": ["enterprise_id", "uscc", "credit_class", "weight"],
        "pool_sha256": draw.pool_sha256,
        "pool": draw.candidates,
        "drawn": _drawn_usccs(draw),
    }


@require_GET
def draw_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _public_draw(pk)
    verification = draw_verify(draw=draw)
    enterprises = Enterprise.objects.select_related("region").in_bulk([int(e) for e in draw.selected])
    rows = [{"order": n, "enterprise": enterprises.get(int(e))} for n, e in enumerate(draw.selected, start=1)]
    attempts = list(
        public_draws().filter(task=draw.task).select_related("redraw_request__decided_by").order_by("attempt")
    )
    stage = draw.criteria.get("stage", "")
    return render(
        request,
        "public/draw_detail.html",
        {
            "draw": draw,
            "task": draw.task,
            "rows": rows,
            "attempts": attempts,
            "is_current": attempts[-1].pk == draw.pk,
            "weights": sorted(draw.weights.items()),
            "candidate_count": len(draw.candidates),
            "product_types": ProductType.objects.filter(pk__in=draw.criteria.get("product_type_ids") or []).order_by(
                "code"
            ),
            "stage_label": Stage(stage).label if stage in Stage.values else "",
            "seller_industries": "、".join(draw.criteria.get("seller_industries") or SELLER_INDUSTRIES),
            "announcements": draw.task.announcements.filter(status="published").order_by("-published_at"),
            "rerun_ok": verification.selected_matches and verification.pool_matches,
            "verification": verification,
            "snippet": RERUN_SNIPPET,
        },
    )


@require_GET
def draw_pool(request: HttpRequest, pk: int) -> HttpResponse:
    draw = _public_draw(pk)
    body = json.dumps(pool_document(draw), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="draw-{draw.pk}-pool.json"'
    return response


urlpatterns = [
    path("draws/<int:pk>/", draw_detail, name="draw_detail"),
    path("draws/<int:pk>/pool.json", draw_pool, name="draw_pool"),
]
