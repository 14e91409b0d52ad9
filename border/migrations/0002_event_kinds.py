"""The border event kinds every instance starts with (border.reference); an administrator adds
more in the admin."""

from django.db import migrations


def load(apps, schema_editor):
    from border.reference import load_event_kinds

    load_event_kinds(apps.get_model("border", "BorderEventKind"))


class Migration(migrations.Migration):
    dependencies = [("border", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
