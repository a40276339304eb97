"""manage.py import_sampling FILE [--items FILE] [--create-missing] [--dry-run] [--archive] [--user USERNAME]"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.errors import DomainError
from sampling.services.importing import import_sampling


class Command(BaseCommand):
    help = _("导入抽查结果（.xlsx 或 .csv，格式见 抽查结果导入模板）")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("抽查结果文件（.xlsx / .csv）"))
        parser.add_argument("--items", help=_("检验项目文件（.csv / .xlsx），每行一个单项结果"))
        parser.add_argument(
            "--create-missing", action="store_true", help=_("创建不存在的任务、企业、产品种类和检验机构")
        )
        parser.add_argument("--dry-run", action="store_true", help=_("只校验并统计，不写入数据库"))
        parser.add_argument(
            "--archive",
            action="store_true",
            help=_("归档导入往年数据：不合格批次的后处理登记为“平台外办结”，不生成待办环节"),
        )
        parser.add_argument("--user", help=_("以该用户名义导入（记录在审计和更正记录中）"))

    def handle(self, *args, **options):
        from core.models import User

        user = None
        if options["user"]:
            user = User.objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(_("用户：“%(name)s”不存在") % {"name": options["user"]})
        try:
            summary = import_sampling(
                file=options["file"],
                items_file=options["items"],
                user=user,
                create_missing=options["create_missing"],
                dry_run=options["dry_run"],
                archive=options["archive"],
            )
        except (DomainError, OSError) as exc:
            raise CommandError(str(exc))
        if summary.errors:
            for error in summary.errors:
                self.stderr.write(str(error))
            raise CommandError(_("文件有 %(count)d 处错误，未写入任何数据") % {"count": len(summary.errors)})
        if summary.dry_run:
            self.stdout.write(_("试运行：文件校验通过，未写入数据库"))
        for label, value in summary.lines():
            self.stdout.write(f"{label}：{value}")
        if summary.archive_note and not summary.dry_run:
            self.stdout.write(summary.archive_note)
