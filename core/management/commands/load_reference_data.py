"""Load or refresh the reference data: regions (GB/T 2260), the sampling catalogue, testing institutions."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.reference import load_catalogue, load_institutions, load_regions
from core.timelimits import load_time_limits


class Command(BaseCommand):
    help = _("加载行政区划（GB/T 2260）、抽查产品目录和检验机构；可重复运行")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def handle(self, *args, **options):
        with audit_context(source="load_reference_data"):
            regions = load_regions()
            catalogue = load_catalogue()
            institutions = load_institutions()
            limits = load_time_limits()
        self.stdout.write(
            _("行政区划：共 %(total)d 个，新增 %(created)d，更新 %(updated)d，撤销 %(retired)d，恢复 %(reactivated)d")
            % regions.__dict__
        )
        self.stdout.write(
            _(
                "抽查产品目录：类别 %(groups)d 个（新增 %(groups_created)d），产品种类 %(types)d 个"
                "（新增 %(types_created)d），检验项目 %(items)d 个（新增 %(items_created)d）"
            )
            % catalogue.__dict__
        )
        self.stdout.write(_("检验机构：新增 %(n)d 个") % {"n": institutions})
        self.stdout.write(_("法定期限：新增 %(n)d 项（已有的期限保留管理员的设置）") % {"n": limits})
        self.stdout.write(self.style.SUCCESS(_("基础数据加载完成。")))
