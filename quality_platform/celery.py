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
}
