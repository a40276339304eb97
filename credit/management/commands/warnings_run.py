"""Evaluate the early-warning signals for a period: ``manage.py warnings_run --period 2017 [--json]``."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from core.audit import audit_context
from core.errors import DomainError
from core.reports.periods import Period


class Command(BaseCommand):
    help = "运行风险预警信号（期间如 2017、2017-Q3、2017-05），打印触发的预警"
    requires_system_checks = []  # checks run in `manage.py check`, migrate and CI, not before each run

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, help="2017, 2017-Q3 or 2017-05")
        parser.add_argument("--signal", action="append", dest="signals", help="only this signal (repeatable)")
        parser.add_argument("--json", action="store_true", help="print the warnings raised as a JSON list")

    def handle(self, *args, **options):
        from credit.warnings.evaluation import evaluate
        from credit.warnings.signals import SIGNALS

        try:
            period = Period.parse(options["period"])
        except DomainError as error:
            raise CommandError(str(error))
        codes = options.get("signals")
        if codes:
            unknown = sorted(set(codes) - set(SIGNALS))
            if unknown:
                raise CommandError(f"unknown signal(s): {', '.join(unknown)}; known: {', '.join(SIGNALS)}")
        with audit_context(source="warnings_run", period=str(period)):
            result = evaluate(period=period, codes=codes)
        if options["json"]:
            self.stdout.write(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str))
            return
        for warning, created in result.warnings:
            mark = "+" if created else "~"
            self.stdout.write(
                f"{mark} [{warning.get_level_display()}] {warning.get_signal_display()}：{warning.subject_name}"
                f"（{warning.region_id}）{warning.summary}"
            )
        self.stdout.write(
            f"{period}: {len(result.warnings)} warnings ({result.created} new, {result.skipped} already closed); "
            + ", ".join(f"{code} {seconds:.2f}s" for code, seconds in result.timings.items())
        )
