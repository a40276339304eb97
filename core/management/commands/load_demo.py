"""Load the demo data of every app (`<app>.demo.load_demo_data`), core first; safe to run twice."""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.errors import DomainError


def demo_loaders():
    """The apps' demo loaders in INSTALLED_APPS order; core does not import the apps above it."""
    for app_config in apps.get_app_configs():
        module_name = f"{app_config.name}.demo"
        if find_spec(app_config.name) is None or find_spec(module_name) is None:
            continue
        loader = getattr(import_module(module_name), "load_demo_data", None)
        if loader is not None:
            yield app_config, loader


class Command(BaseCommand):
    help = _("加载演示数据（湖南省企业、演示账号、抽查任务与结果）；重复运行不会重复创建")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def handle(self, *args, **options):
        with audit_context(source="load_demo"):
            for app_config, loader in demo_loaders():
                try:
                    lines = loader()
                except DomainError as exc:
                    raise CommandError(str(exc)) from exc
                for line in lines:
                    self.stdout.write(f"[{app_config.verbose_name}] {line}")
        self.stdout.write(self.style.SUCCESS(_("演示数据加载完成。")))
