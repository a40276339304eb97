# The public serious-violation list, newest listing first (issue 11): the first page of the list and of a broad
# name search is read in index order instead of sorting every listing.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("credit", "0003_early_warning_audit_workflow_only"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(fields=["-listed_on", "-id"], name="credit_listing_order_idx"),
        ),
    ]
