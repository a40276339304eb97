import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quality_platform.settings.dev")

app = Celery("quality_platform")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# The schedule lives in code (times in CELERY_TIMEZONE, Asia/Shanghai). Reports are keyed by
# (kind, period, jurisdiction), so a run that fires twice still makes one report each.
app.conf.beat_schedule = {
    # A report whose worker died or that was asked while the broker was down is queued again.
    "reports-recover": {"task": "core.tasks.recover_reports", "schedule": 120.0},
    # Sampling: rectifications past their 60-日 limit are recorded as overdue in the fact ledger.
    "sampling-overdue-rectifications": {
        "task": "sampling.tasks.record_overdue_rectifications",
        "schedule": crontab(minute=20, hour=0),
    },
    "reports-monthly": {
        "task": "core.tasks.schedule_periodic_reports",
        "schedule": crontab(minute=0, hour=2, day_of_month=1),
        "kwargs": {"periodicity": "month"},
    },
    "reports-quarterly": {
        "task": "core.tasks.schedule_periodic_reports",
        "schedule": crontab(minute=30, hour=2, day_of_month=1, month_of_year="1,4,7,10"),
        "kwargs": {"periodicity": "quarter"},
    },
    "reports-annual": {
        "task": "core.tasks.schedule_periodic_reports",
        "schedule": crontab(minute=0, hour=3, day_of_month=1, month_of_year=1),
        "kwargs": {"periodicity": "year"},
    },
    # Enforcement: fines whose 15-日 payment limit passed unpaid become ledger facts (the case report is a
    # report kind, scheduled by the reports-* entries above).
    "enforcement-overdue-fines": {
        "task": "enforcement.tasks.record_overdue_fines",
        "schedule": crontab(minute=0, hour=4),
    },
    # Recalls: late or missing notices, plans, progress reports and summaries become conduct facts.
    "recalls-late-reports": {
        "task": "recalls.tasks.flag_late_recall_reports",
        "schedule": crontab(minute=10, hour=1),
    },
    # Early warning: every enabled signal for the running year, after the night's overdue-fact jobs.
    "warnings-daily": {
        "task": "credit.warnings.tasks.evaluate_warnings_daily",
        "schedule": crontab(minute=30, hour=4),
    },
    # Credit: new ledger facts become records and classes within minutes; nightly everything again (decay
    # moves with the date); listings whose three-year term ends today are removed just after midnight.
    "credit-take-up": {"task": "credit.tasks.take_up_facts_task", "schedule": 180.0},
    "credit-recompute": {"task": "credit.tasks.recompute_all_task", "schedule": crontab(minute=0, hour=1)},
    "credit-expiry": {"task": "credit.tasks.remove_expired_listings_task", "schedule": crontab(minute=5, hour=0)},
}
