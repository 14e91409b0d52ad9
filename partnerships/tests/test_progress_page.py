"""The objective-progress page shows the chart it promises for every indicator, and objective
labels are shortened between words, never mid-word."""

import re

from django.urls import reverse

from partnerships.tests.factories import make_indicator, make_objective, make_program

LONG = ("Sustain interoperable incident command between CalGuard and the Secretariat of "
        "National Defense across every wildfire season")


def test_every_indicator_has_its_chart(client_for, us_coordinator):
    partnership, line, objective, first = make_program(us_coordinator)
    second = make_indicator(us_coordinator, objective, name_en="Exercises held",
                            name_es="Ejercicios realizados")
    page = client_for(us_coordinator).get(
        reverse("partnerships:progress", args=[partnership.pk])).content.decode()
    for indicator in (first, second):
        assert re.search(rf'<svg [^>]*aria-labelledby="chart-small-{indicator.pk}-title', page)


def test_objective_labels_stop_between_words(client_for, us_coordinator):
    partnership, line, _objective, _indicator = make_program(us_coordinator)
    objective = make_objective(us_coordinator, line, code="HADR-2", statement_en=LONG,
                               statement_es=LONG)
    label = str(objective)
    assert label.startswith("HADR-2 Sustain") and label.endswith(" …")
    assert label[len("HADR-2 "):-2] in LONG and LONG[len(label) - len("HADR-2 ") - 2] == " "
    page = client_for(us_coordinator).get(
        reverse("partnerships:progress", args=[partnership.pk])).content.decode()
    shown = re.search(r"<code>HADR-2</code></a> ([^<]*)<", page).group(1)
    assert shown.endswith(" …") and (LONG + " ").startswith(shown[:-2] + " ")
