"""Ports of entry publish their hours in both languages: the English text keeps its column
(renamed hours_en), the Spanish one is new, and the curated data fills it."""

from django.db import migrations

import core.bounds


def load(apps, schema_editor):
    from response.reference import load_ports

    load_ports(apps.get_model("response", "PortOfEntry"))


class Migration(migrations.Migration):

    dependencies = [
        ('response', '0004_text_and_value_bounds'),
    ]

    operations = [
        migrations.RenameField(
            model_name='portofentry',
            old_name='hours_text',
            new_name='hours_en',
        ),
        migrations.AlterField(
            model_name='portofentry',
            name='hours_en',
            field=core.bounds.LongTextField(blank=True, max_length=5000, verbose_name='published hours (English)'),
        ),
        migrations.AddField(
            model_name='portofentry',
            name='hours_es',
            field=core.bounds.LongTextField(blank=True, max_length=5000, verbose_name='published hours (Spanish)'),
        ),
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
