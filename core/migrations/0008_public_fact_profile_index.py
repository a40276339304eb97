# The public credit profile reads an enterprise's newest public facts of each kind (issue 11). Built CONCURRENTLY: the fact
# ledger holds millions of rows and every app writes to it in its own transactions.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("core", "0007_report_enqueued_at_report_heartbeat_at_report_note"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="enterprisefact",
            index=models.Index(
                condition=models.Q(("public_from__isnull", False)),
                fields=["enterprise", "kind", "-occurred_on", "-id"],
                name="fact_public_enterprise_idx",
            ),
        ),
    ]
