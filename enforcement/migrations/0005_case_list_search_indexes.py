# The case list's search (issue 9): trigram indexes on UPPER(case_no), UPPER(party_name), UPPER(decision_no), the
# expressions Django's icontains compiles to. Built CONCURRENTLY so that registering and deciding cases is not
# blocked while they are built.

import django.contrib.postgres.indexes
import django.db.models.functions.text
from django.conf import settings
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("core", "0007_report_enqueued_at_report_heartbeat_at_report_note"),
        ("enforcement", "0004_publication_push"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="case",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("case_no"), name="gin_trgm_ops"
                ),
                name="case_no_trgm",
            ),
        ),
        AddIndexConcurrently(
            model_name="case",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("party_name"), name="gin_trgm_ops"
                ),
                name="case_party_name_trgm",
            ),
        ),
        AddIndexConcurrently(
            model_name="case",
            index=django.contrib.postgres.indexes.GinIndex(
                django.contrib.postgres.indexes.OpClass(
                    django.db.models.functions.text.Upper("decision_no"), name="gin_trgm_ops"
                ),
                name="case_decision_no_trgm",
            ),
        ),
    ]
