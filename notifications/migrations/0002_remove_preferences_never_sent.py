"""Deletes preferences for the kinds "incident.declared" and "incident.resolved": no notification
of either kind is ever sent, so they are no longer offered."""

from django.db import migrations

KINDS_NEVER_SENT = ("incident.declared", "incident.resolved")


def delete_preferences(apps, schema_editor):
    Preference = apps.get_model("notifications", "Preference")
    Preference.objects.filter(kind__in=KINDS_NEVER_SENT).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(delete_preferences, migrations.RunPython.noop)]
