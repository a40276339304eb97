"""manage.py rebuild_facts --app sampling [--dry-run]: rebuild sampling's ledger facts from its records."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.audit import audit_context
from core.facts import fact_kind_label

APPS = ("sampling",)


class Command(BaseCommand):
    help = _("根据业务记录重建涉企信息（事实台账），报告缺失的信息")
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def add_arguments(self, parser):
        parser.add_argument("--app", default="sampling", help=_("应用（目前支持：sampling）"))
        parser.add_argument("--dry-run", action="store_true", help=_("只报告缺失的信息，不写入"))

    def handle(self, *args, **options):
        from sampling.services.rebuild import rebuild_sampling_facts

        if options["app"] not in APPS:
            raise CommandError(
                _("--app：不支持“%(app)s”，可选：%(apps)s") % {"app": options["app"], "apps": "、".join(APPS)}
            )
        with audit_context(user=None, source="rebuild_facts", app=options["app"]):
            counts = rebuild_sampling_facts(dry_run=options["dry_run"])
        if not counts:
            self.stdout.write(_("涉企信息与业务记录一致，无需变更。"))
            return
        verb = _("缺失（未写入）") if options["dry_run"] else _("已补记")
        for kind, count in sorted(counts.items()):
            self.stdout.write(f"{verb} {fact_kind_label(kind)}（{kind}）：{count}")
