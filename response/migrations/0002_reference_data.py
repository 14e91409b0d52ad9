"""Ports of entry and resource kinds are reference data every instance needs: load them from
the app's curated copies (response/data/)."""

from django.db import migrations


def load(apps, schema_editor):
    from response.reference import load_ports, load_resource_kinds

    load_ports(apps.get_model("response", "PortOfEntry"))
    load_resource_kinds(apps.get_model("response", "ResourceKind"))


class Migration(migrations.Migration):
    dependencies = [("response", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
