"""The core capabilities every instance starts with (exercises.reference); an administrator adds
more in the admin."""

from django.db import migrations


def load(apps, schema_editor):
    from exercises.reference import load_core_capabilities

    load_core_capabilities(apps.get_model("exercises", "CoreCapability"))


class Migration(migrations.Migration):
    dependencies = [("exercises", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
