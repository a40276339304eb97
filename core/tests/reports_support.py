"""A tiny report kind for testing the pipeline without any app's data."""

from __future__ import annotations

import pytest

from core.reports import registry
from core.reports.registry import ReportKind

TOY_TITLE = "测试统计报告"


@pytest.fixture
def toy_kind():
    kind = registry.register(
        ReportKind(
            code="toy",
            title=TOY_TITLE,
            template="reports/base_report.html",
            query=lambda period, region: {"value": 42},
            shape=lambda rows, period, region: {"sections": [], "value": rows["value"]},
            jurisdictions_with_data=lambda period: ["430102"],
        )
    )
    registry.all_kinds()  # load the configured kinds first so they don't replace the toy
    yield kind
    registry._kinds.pop("toy", None)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]
