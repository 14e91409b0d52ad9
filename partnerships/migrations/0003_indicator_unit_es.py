from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0002_agreement_indicator_lineofeffort_assessment_and_more"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="unit_es",
            field=models.CharField(
                blank=True,
                help_text="For example: personas capacitadas, ejercicios, porcentaje. Empty: "
                          "Spanish readers see the English.",
                max_length=50, verbose_name="unit of measure (Spanish)"),
        ),
        migrations.AlterField(
            model_name="indicator",
            name="unit",
            field=models.CharField(
                help_text="For example: people trained, exercises, percent.", max_length=50,
                verbose_name="unit of measure (English)"),
        ),
    ]
