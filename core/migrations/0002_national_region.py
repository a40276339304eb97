from django.db import migrations


def create_national_region(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    Region.objects.get_or_create(code="000000", defaults={"name": "全国", "level": "national"})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]
    operations = [migrations.RunPython(create_national_region, migrations.RunPython.noop)]
