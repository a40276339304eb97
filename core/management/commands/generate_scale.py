"""生成规模测试数据：企业、抽查任务/批次/检验结果/公告、执法案件、召回、涉企信息，全部在 SQL 中批量生成。"""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core import scale


class Command(BaseCommand):
    help = _("生成规模测试数据（企业、抽查批次、执法案件、召回、涉企信息），用于性能测试；同一种子生成相同的数据")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def add_arguments(self, parser):
        parser.add_argument("--enterprises", type=int, default=1_000, help=_("企业数"))
        parser.add_argument("--batches", type=int, default=10_000, help=_("抽样批次数"))
        parser.add_argument("--cases", type=int, default=500, help=_("执法案件数"))
        parser.add_argument("--recalls", type=int, default=100, help=_("召回数"))
        parser.add_argument("--vins", type=int, default=None, help=_("车辆召回的 VIN 数（默认每个召回 100 个）"))
        parser.add_argument("--facts", type=int, default=10_000, help=_("涉企信息条数"))
        parser.add_argument("--seed", type=int, default=2017, help=_("随机种子"))
        parser.add_argument(
            "--provinces", default="", help=_("只在这些省份生成，逗号分隔的省级代码（默认全国所有县区）")
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("数据库中已有非生成的业务数据时仍然运行（只追加生成数据，不删除已有数据）"),
        )

    def handle(self, *args, **options):
        from core.models import ProductType, Region, RegionLevel

        for name in ("enterprises", "batches", "cases", "recalls", "facts"):
            if options[name] < 0:
                raise CommandError(_("--%(name)s 不能为负数") % {"name": name})
        if options["batches"] and not options["enterprises"]:
            raise CommandError(_("生成抽样批次需要企业：--enterprises 不能为 0"))
        provinces = [p.strip() for p in options["provinces"].split(",") if p.strip()] or None
        plan = scale.Plan(
            enterprises=options["enterprises"],
            batches=options["batches"],
            cases=options["cases"],
            recalls=options["recalls"],
            vins=options["vins"],
            facts=options["facts"],
            seed=options["seed"],
            provinces=provinces,
        )
        steps = scale.autodiscover()
        foreign = scale.foreign_rows(steps)
        if foreign and not options["force"]:
            found = "、".join(f"{name} {count:,} 条" for name, count in foreign.items())
            raise CommandError(
                _(
                    "数据库中已有不是本命令生成的业务数据（%(found)s），为免与真实数据混在一起，已停止。"
                    "请使用专用的空数据库；确需在此库中追加生成数据，请加 --force（不会删除已有数据）。"
                )
                % {"found": found}
            )
        if foreign and scale.scale_enterprises():
            raise CommandError(
                _("此数据库中既有业务数据，又有上次生成的规模测试数据：不能再追加生成。请使用专用的空数据库。")
            )
        if not Region.objects.filter(level=RegionLevel.COUNTY).exists() or not ProductType.objects.exists():
            call_command("load_reference_data", verbosity=0)
        if provinces:
            known = Region.objects.filter(code__in=provinces, level=RegionLevel.PROVINCE)
            known = set(known.values_list("code", flat=True))
            if unknown := sorted(set(provinces) - known):
                raise CommandError(_("--provinces 中的省级代码不存在：%(codes)s") % {"codes": "、".join(unknown)})
        started = time.perf_counter()
        # Without foreign rows the tables hold at most an earlier generated set: emptied, ids restarted.
        timings = scale.run(plan, steps, replace=not foreign, report=self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(
                _("规模测试数据已生成，共用时 %(seconds).1f 秒（其中 VACUUM ANALYZE %(analyze).1f 秒）")
                % {"seconds": time.perf_counter() - started, "analyze": timings["analyze"]}
            )
        )
