# Public result search by region (issue 14): the newest published batches of a county, a city or a province read
# in the list's order (sampling.public_filters.region_q). Built CONCURRENTLY: at millions of batches a plain
# CREATE INDEX would block registrations, results and publication for as long as it takes.

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.models.functions import Substr


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sampling", "0017_task_progress_counters"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="sample",
            index=models.Index(
                fields=["region", "-sampled_on", "-id"],
                name="sample_pub_county_idx",
                condition=models.Q(is_published=True),
                include=["final_verdict", "announcement"],
            ),
        ),
        AddIndexConcurrently(
            model_name="sample",
            index=models.Index(
                Substr("region", 1, 4),
                models.F("sampled_on").desc(),
                models.F("id").desc(),
                name="sample_pub_city_idx",
                condition=models.Q(is_published=True),
                include=["final_verdict", "announcement", "region"],
            ),
        ),
        AddIndexConcurrently(
            model_name="sample",
            index=models.Index(
                Substr("region", 1, 2),
                models.F("sampled_on").desc(),
                models.F("id").desc(),
                name="sample_pub_province_idx",
                condition=models.Q(is_published=True),
                include=["final_verdict", "announcement", "region"],
            ),
        ),
    ]
