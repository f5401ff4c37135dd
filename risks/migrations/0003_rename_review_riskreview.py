from django.db import migrations


class Migration(migrations.Migration):
    """The model is renamed RiskReview; its table keeps its name, so the database does not change."""

    dependencies = [
        ("risks", "0002_default_matrix_and_categories"),
    ]

    operations = [
        migrations.AlterModelTable(name="review", table="risks_review"),
        migrations.RenameModel(old_name="Review", new_name="RiskReview"),
    ]
