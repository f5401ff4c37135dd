from django.db import migrations

from risks import defaults


def create_defaults(apps, schema_editor):
    RiskMatrix = apps.get_model("risks", "RiskMatrix")
    Category = apps.get_model("risks", "Category")
    if not RiskMatrix.objects.exists():
        RiskMatrix.objects.create(
            version=1,
            likelihood=defaults.LIKELIHOOD,
            impact=defaults.IMPACT,
            levels=defaults.LEVELS,
            grid=defaults.GRID,
            appetite=defaults.APPETITE,
        )
    for position, (key, label_en, label_zh) in enumerate(defaults.CATEGORIES):
        Category.objects.get_or_create(
            key=key, defaults={"label_en": label_en, "label_zh": label_zh, "position": position}
        )


class Migration(migrations.Migration):
    dependencies = [("risks", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
