"""Search-as-you-type pickers for large choices (people, Guard members, units, requests): the
form renders only the record chosen, and the user finds others by typing, each keystroke
asking `pick` for the first matches through `restrict()` — never thousands of options.

An app registers a source of choices by name (`register`), and a form field names it in its
widget (`Picker` for one choice, `MultiPicker` for several). A record the user may not see is
never offered, and the field still validates the chosen ids against its own queryset. Enter in
the search box chooses the highlighted match instead of submitting the form
(core/static/core/picker.js)."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

LIMIT = 20  # matches offered at a time: type more to narrow

_sources = {}


@dataclass(frozen=True)
class Source:
    """`choices(user, params)`: what the user may pick from (read through `restrict()`),
    narrowed by the request's parameters (`params`, a QueryDict); `search`: the fields a
    typed text is looked for in (every word typed must be in one of them). A choice reads as
    the record's name (`str`), as a ModelChoiceField shows it, and is submitted as its `key`
    (the field's `to_field_name`, the primary key by default)."""

    choices: Callable
    search: tuple
    key: str = "pk"


def register(name, choices, search, key="pk"):
    _sources[name] = Source(choices, tuple(search), key)
    return name


def matches(name, user, params):
    """The first LIMIT choices of source `name` for `user` matching `params["q"]`, and
    whether there are more."""
    source = _sources.get(name)
    if source is None:
        raise Http404
    records = source.choices(user, params)
    text = (params.get("q") or "").strip()[:100]
    for word in text.split():
        records = records.filter(reduce(or_, (Q(**{f"{f}__icontains": word})
                                             for f in source.search)))
    found = list(records[:LIMIT + 1])
    return [(getattr(r, source.key), str(r)) for r in found[:LIMIT]], len(found) > LIMIT


@login_required
@require_GET
def pick(request, source):
    """The options of a picker for what was typed (htmx swaps them into its list)."""
    options, more = matches(source, request.user, request.GET)
    return render(request, "core/widgets/picker_options.html", {
        "options": options, "more": more, "blank": request.GET.get("blank") == "1",
        "typed": bool((request.GET.get("q") or "").strip())})


class Picker(forms.Select):
    """A text box that searches source `source` as the user types and a list of what it found
    to choose from; only the chosen record is rendered. `params` narrow the source (an
    engagement's id, say)."""

    template_name = "core/widgets/picker.html"

    def __init__(self, source, params=None, attrs=None):
        super().__init__(attrs)
        self.source, self.params = source, dict(params or {})

    def __deepcopy__(self, memo):
        copy = super().__deepcopy__(memo)
        copy.params = dict(self.params)
        return copy

    @property
    def _blank(self):
        """Whether "—" (nothing) is offered: a single choice that may be left empty."""
        return not self.is_required and not self.allow_multiple_selected

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if v not in (None, "")]
        options = []
        if self._blank:
            options.append(self.create_option(name, "", "—", not chosen, 0))
        queryset = getattr(self.choices, "queryset", None)
        if chosen and queryset is not None:
            field = self.choices.field
            key = field.to_field_name or "pk"
            for index, record in enumerate(queryset.filter(**{f"{key}__in": chosen}), start=1):
                options.append(self.create_option(name, getattr(record, key),
                                                  field.label_from_instance(record), True, index))
        return [(None, options, 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        query = {**self.params, **({"blank": "1"} if self._blank else {})}
        context["widget"]["search_url"] = (reverse("web:pick", args=[self.source])
                                           + ("?" + urlencode(query) if query else ""))
        return context


class MultiPicker(Picker):
    """Several choices picked by typing: the chosen records are listed, each with a button to
    remove it and a hidden input carrying its value; the matches are a list to add from."""

    template_name = "core/widgets/multi_picker.html"
    allow_multiple_selected = True

    def id_for_label(self, id_):
        return f"{id_}-search" if id_ else id_  # the label names the search box

    def value_omitted_from_data(self, data, files, name):
        return False  # nothing chosen posts nothing, as with ticked boxes
