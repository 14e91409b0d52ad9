"""Port-closure events reported before an event carried its lanes side take the side of the
report that opened them (the side whose lanes closed), not the side of the port point."""

from django.db import migrations


def lanes_side(apps, schema_editor):
    BorderEvent = apps.get_model("border", "BorderEvent")
    PortStatusReport = apps.get_model("border", "PortStatusReport")
    first = {}
    for event_id, side in (PortStatusReport.objects.filter(status="closed", event__isnull=False)
                           .order_by("reported_at", "pk").values_list("event_id", "side")):
        first.setdefault(event_id, side)
    for side in ("USA", "MEX"):
        ids = [pk for pk, s in first.items() if s == side]
        BorderEvent.objects.filter(pk__in=ids, lanes_side="").update(lanes_side=side, side=side)


class Migration(migrations.Migration):

    dependencies = [("border", "0007_event_lanes_side")]

    operations = [migrations.RunPython(lanes_side, migrations.RunPython.noop)]
