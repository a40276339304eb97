"""Builders for the draw tests: producers of a task's products, credentialed rosters, approved re-draws."""

from __future__ import annotations

from core.models import Role
from core.tests.factories import ProductTypeFactory, UserFactory
from sampling.services.draw import redraw_approve, redraw_request
from sampling.tests.tasks_data import make_enterprise, make_inspectors, make_task


def producer(task, region_code: str = "430102", credit_class: str = "", **extra):
    """An enterprise of the region whose product lines are the task's products."""
    enterprise = make_enterprise(region_code, credit_class, **extra)
    enterprise.product_lines.set(task.product_types.all())
    return enterprise


def city_task_with_pool(**extra):
    """A 长沙市 task, eight producers of every class in its counties and four credentialed inspectors."""
    task = make_task(region_code="430100", **extra)
    enterprises = [
        producer(task, code, cls)
        for code, cls in [
            ("430102", "A"),
            ("430102", "B"),
            ("430102", ""),
            ("430102", "C"),
            ("430103", "D"),
            ("430103", "A"),
            ("430103", "C"),
            ("430100", "D"),
        ]
    ]
    inspectors = make_inspectors(2, "430102") + make_inspectors(2, "430103")
    return task, enterprises, inspectors


def leader(region_code: str = "430100", username: str = "", **extra):
    from core.models import Region

    return UserFactory(
        username=username or f"leader{region_code}",
        role=Role.LEADER,
        jurisdiction=Region.objects.get(code=region_code),
        last_name="负责人",
        **extra,
    )


def approved_redraw(task, requester, approver, reason: str = "抽中企业已停产，无法实施抽样"):
    request = redraw_request(user=requester, task=task, reason=reason)
    return redraw_approve(user=approver, request=request, note="同意")


def product_type(code: str, name: str, group_code: str = "G01", group_name: str = "日用及纺织品"):
    from core.tests.factories import ProductGroupFactory

    return ProductTypeFactory(code=code, name=name, group=ProductGroupFactory(code=group_code, name=group_name))
