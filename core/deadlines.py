"""The deadline calculator (期限计算器) for staff and the public: a page and GET /api/v1/public/deadlines/.

It counts as the platform counts every limit (core.timelimits.compute_due): 工作日 on the official calendar;
日/月/年 with the start day not counted, month-end clamping and a last day on a holiday moved to the next
working day. A year whose holiday schedule is not entered yet gives a provisional answer, not an error.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.errors import DomainError
from core.models_timelimits import TimeLimit, TimeUnit
from core.timelimits import DueDate, compute_due

MAX_AMOUNT = 10000
UNIT_NAMES = "workday、day、month、year"


def parse_deadline_query(params) -> tuple[dt.date, int, str]:
    """start, amount and unit from query parameters; a Chinese DomainError naming the bad parameter."""
    raw_start = (params.get("start") or "").strip()
    if not raw_start:
        raise DomainError(_("start：请提供起算日期（YYYY-MM-DD）。"))
    try:
        start = dt.date.fromisoformat(raw_start)
    except ValueError:
        raise DomainError(_("start：“%(value)s”不是有效日期，格式为 YYYY-MM-DD。") % {"value": raw_start}) from None
    raw_amount = (params.get("amount") or "").strip()
    if not raw_amount.isdigit() or not 1 <= int(raw_amount) <= MAX_AMOUNT:
        raise DomainError(
            _("amount：期限须为 1 至 %(max)d 之间的整数，收到“%(value)s”。") % {"max": MAX_AMOUNT, "value": raw_amount}
        )
    unit = (params.get("unit") or "").strip()
    if unit not in TimeUnit.values:
        raise DomainError(
            _("unit：单位只能是 %(units)s（工作日、日、月、年），收到“%(value)s”。")
            % {"units": UNIT_NAMES, "value": unit}
        )
    if not 1900 <= start.year <= 2200:
        raise DomainError(_("start：起算日期的年份应在 1900 至 2200 之间。"))
    return start, int(raw_amount), unit


def calculate(params) -> DueDate:
    start, amount, unit = parse_deadline_query(params)
    return compute_due(start, amount, unit)


class DeadlineForm(forms.Form):
    start = forms.DateField(label=gettext_lazy("起算日期"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = forms.IntegerField(label=gettext_lazy("期限"), min_value=1, max_value=MAX_AMOUNT)
    unit = forms.ChoiceField(label=gettext_lazy("单位"), choices=TimeUnit.choices)


def deadline_calculator(request):
    """期限计算器: open to everyone; lists the platform's limits so a user can start from one."""
    due, error = None, ""
    form = DeadlineForm(request.GET or None)
    if request.GET and form.is_valid():
        data = form.cleaned_data
        try:
            due = compute_due(data["start"], data["amount"], data["unit"])
        except DomainError as exc:
            error = str(exc)
    limits = TimeLimit.objects.order_by("key")
    return render(
        request,
        "core/deadlines.html",
        {"form": form, "due": due, "error": error, "limits": limits},
        status=400 if request.GET and not form.is_valid() else 200,
    )


DeadlineSerializer = inline_serializer(
    name="Deadline",
    fields={
        "start": serializers.DateField(),
        "amount": serializers.IntegerField(),
        "unit": serializers.ChoiceField(choices=TimeUnit.values),
        "due": serializers.DateField(),
        "moved_from": serializers.DateField(allow_null=True, help_text=gettext_lazy("顺延前的届满日；未顺延为 null")),
        "provisional": serializers.BooleanField(help_text=gettext_lazy("该年度节假日安排尚未录入时为 true")),
        "explanation": serializers.CharField(),
    },
)


class PublicDeadlineView(APIView):
    """期限计算：起算日不计入；工作日按法定节假日和调休计算；日、月、年届满日遇法定节假日顺延。"""

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []

    @extend_schema(
        tags=[gettext_lazy("公开查询")],
        summary=gettext_lazy("期限计算"),
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True, description=gettext_lazy("起算日期")),
            OpenApiParameter("amount", OpenApiTypes.INT, required=True, description=gettext_lazy("期限数量")),
            OpenApiParameter(
                "unit", OpenApiTypes.STR, required=True, enum=TimeUnit.values, description=gettext_lazy("单位")
            ),
        ],
        responses={200: DeadlineSerializer},
    )
    def get(self, request):
        return Response(calculate(request.query_params).as_dict())
