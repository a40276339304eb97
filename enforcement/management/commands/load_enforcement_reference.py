"""Load the maintained list of legal bases (处罚依据); safe to run twice, administrators' edits are kept."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from core.audit import audit_context
from enforcement.reference import load_legal_bases


class Command(BaseCommand):
    help = "Load the legal bases of penalties (idempotent)."
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def handle(self, *args, **options):
        with audit_context(source="load_enforcement_reference"):
            created = load_legal_bases()
        self.stdout.write(_("处罚依据：新增 %(n)d 条（已有的条目保留管理员的修改）") % {"n": created})
