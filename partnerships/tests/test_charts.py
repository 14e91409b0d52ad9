"""The indicator chart: a pure function from measurements to SVG, the same bytes every time,
accessible, drawn the right way up whichever direction is better, its axis dated in the
reader's format."""

import re
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse

from partnerships.charts import Point, step_chart
from partnerships.tests.factories import make_program

SVG = "{http://www.w3.org/2000/svg}"


def chart(points=(), **overrides):
    arguments = {"baseline": 10, "target": 50, "start": date(2025, 1, 1),
                 "end": date(2026, 1, 1), "chart_id": "c1", "title": "People trained",
                 "description": "Baseline 10, target 50.", "baseline_label": "Baseline 10",
                 "target_label": "Target 50"}
    return step_chart(points, **{**arguments, **overrides})


def parse(svg):
    return ET.fromstring(svg)


def ys(svg, css):
    return [float(e.get("cy") or e.get("y1")) for e in parse(svg).iter()
            if e.get("class") == css]


def test_same_input_same_bytes_whatever_the_order_of_points():
    points = [Point(date(2025, 4, 1), 20, "20 on 1 Apr"), (date(2025, 7, 1), 35)]
    assert chart(points) == chart(list(reversed(points))) == chart(points)


def test_accessible_title_and_description_labelled_by_id():
    root = parse(chart([(date(2025, 4, 1), 20, "20 on 1 Apr")]))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "c1-title c1-desc"
    assert root.find(f"{SVG}title").get("id") == "c1-title"
    assert root.find(f"{SVG}title").text == "People trained"
    assert root.find(f"{SVG}desc").text == "Baseline 10, target 50."
    point = next(e for e in root.iter(f"{SVG}circle") if e.get("class") == "measurement")
    assert point.find(f"{SVG}title").text == "20 on 1 Apr"


def test_text_is_escaped():
    svg = chart(title='<script>alert("x")</script>', description="a & b",
                chart_id='x" onload="y')
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a &amp; b" in svg
    assert 'onload="y"' not in svg
    parse(svg)  # still well-formed


def test_step_line_starts_at_the_baseline_and_holds_each_value():
    svg = chart([(date(2025, 4, 1), 20), (date(2025, 7, 1), 35)])
    path = next(e for e in parse(svg).iter(f"{SVG}path") if e.get("class") == "measurements")
    commands = path.get("d").split()
    assert commands[0].startswith("M") and [c[0] for c in commands[2:]] == ["H", "V", "H", "V"]
    baseline_y = ys(svg, "baseline")[0]
    assert float(commands[1]) == baseline_y  # the line starts at the baseline's height


def test_higher_values_are_drawn_higher_and_targets_below_baselines_lower():
    rising = chart([(date(2025, 4, 1), 20), (date(2025, 7, 1), 35)])
    low, high = ys(rising, "measurement")
    assert high < low  # SVG y grows downwards
    assert ys(rising, "target")[0] < ys(rising, "baseline")[0]
    falling = chart([(date(2025, 4, 1), 30)], baseline=40, target=10)
    assert ys(falling, "target")[0] > ys(falling, "baseline")[0]
    assert ys(falling, "baseline")[0] < ys(falling, "measurement")[0] < ys(falling, "target")[0]


def test_everything_stays_inside_the_view_box():
    svg = chart([(date(2024, 6, 1), -5), (date(2026, 6, 1), 80)], width=240, height=90)
    numbers = [float(n) for n in re.findall(r'(?:c?[xy][12]?|cy)="(-?[\d.]+)"', svg)]
    assert numbers and all(0 <= n <= 240 for n in numbers)
    assert 'viewBox="0 0 240 90"' in svg
    assert ">2024-06-01<" in svg and ">2026-06-01<" in svg  # the range widens to the data


def test_no_measurements_and_flat_ranges_still_draw():
    empty = chart()
    assert 'class="measurements"' not in empty and 'class="baseline"' in empty
    flat = chart([(date(2025, 1, 1), 5)], baseline=5, target=5, end=date(2025, 1, 1))
    parse(flat)
    assert "nan" not in flat.lower() and "inf" not in flat.lower()


def test_the_axis_dates_are_written_as_the_caller_says():
    axis = [e.text for e in parse(chart(show_day=lambda day: day.strftime("%d/%m/%Y"))).iter()
            if e.get("class") == "axis"]
    assert axis == ["01/01/2025", "01/01/2026"]


@pytest.mark.parametrize(("language", "shape"), [
    ("en", r"\d\d/\d\d/\d{4}"), ("es", r"\d\d/\d\d/\d{4}")])
def test_the_page_chart_axis_reads_in_the_readers_date_format(client_for, us_coordinator,
                                                             language, shape):
    partnership, _line, _objective, indicator = make_program(us_coordinator)
    client = client_for(us_coordinator)
    client.cookies["django_language"] = language
    page = client.get(reverse("partnerships:progress", args=[partnership.pk])).content.decode()
    axis = re.findall(r'<text class="axis"[^>]*>([^<]*)</text>', page)
    assert axis and all(re.fullmatch(shape, text) for text in axis), axis
    first = indicator.baseline_date
    expected = first.strftime("%d/%m/%Y" if language == "es" else "%m/%d/%Y")
    assert expected in axis
