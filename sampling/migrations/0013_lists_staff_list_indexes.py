# Staff sample list order and task-list progress (issue 14). Built CONCURRENTLY: at millions of batches a plain
# CREATE INDEX would block registrations and results for as long as it takes.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sampling", "0012_queues_sample_receipt"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="sample",
            index=models.Index(fields=["-sampled_on", "-id"], name="sample_list_order_idx"),
        ),
        AddIndexConcurrently(
            model_name="sample",
            index=models.Index(fields=["task", "final_verdict", "is_published"], name="sample_task_progress_idx"),
        ),
    ]
