from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("基础数据")

    def ready(self) -> None:
        from core import admin_labels

        admin_labels.apply()  # the admin's titles and third-party names in Chinese
        from core.access import register_history_model
        from core.uploads import register_protected_files

        register_history_model("core.Enterprise")
        for label in (
            "core.ProductGroup",
            "core.ProductType",
            "core.TestItem",
            "core.Institution",
            "core.WorkdayOverride",
            "core.CalendarYear",
            "core.TimeLimit",
        ):
            register_history_model(label, national=True)
        register_protected_files("core.Report", fields=("file",), can_view=_can_view_report, inline=False)


def _can_view_report(user, report) -> bool:
    from core.reports.services import reports_visible_to

    return reports_visible_to(user).filter(pk=report.pk).exists()
