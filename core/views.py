"""View helpers every domain shares: run a service and turn its refusals into form errors or
messages, paginate, look records up through `restrict()`, and the pages most records have (a
filtered list, a create or update form, the change of a marking)."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.forms import MarkingForm
from core.history import history_for
from core.permissions import may


def run_service(form, service, *args, **kwargs):
    """Call a write service; its ValidationError lands on the form's fields, its permission
    refusal on the form as a whole. Returns the result, or None when the form now has errors."""
    try:
        return service(*args, **kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    except PermissionDenied as exc:
        form.add_error(None, str(exc))
    return None


def refusal(exc):
    """A service's refusal (ValidationError or PermissionDenied) as the sentences a page
    shows."""
    if isinstance(exc, ValidationError):
        return [str(message) for message in exc.messages]
    return [str(exc) or _("You do not have permission to do this.")]


def show_refusal(request, exc):
    """A service's refusal as an error message, for a button that has no form to show it
    on."""
    messages.error(request, " ".join(refusal(exc)))


def attempt(request, service, *args, **kwargs):
    """Call a write service a button started; a refusal becomes an error message
    (`show_refusal`). Returns whether the service ran."""
    try:
        service(*args, **kwargs)
    except (ValidationError, PermissionDenied) as exc:
        show_refusal(request, exc)
        return False
    return True


def paginate(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def whole_page(records):
    """All of `records` as a single page: a short list shown whole on a record's page through
    the results template of a filtered list, which takes a page."""
    records = list(records)
    return Paginator(records, max(len(records), 1)).page(1)


def get_one(queryset, pk):
    """Record `pk` of an already restricted queryset, or 404 — whether it is missing, not
    releasable to the user, or `pk` is not an id at all."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


def list_page(request, template, results, form, queryset, *, per_page=25,
              prepare=None, **context):
    """A filtered, paginated list (core/list.html): `template`, or only `results` (its
    partial) when htmx asks as the filters change. `prepare`, if given, makes the page's
    records into what the rows show."""
    page = paginate(request, queryset, per_page)
    if prepare is not None:
        page.object_list = prepare(page.object_list)
    return render(request, results if request.htmx else template,
                  {"form": form, "page": page, "results_template": results, **context})


def marking_of(record):
    """`record`'s marking as a marking form's initial values: what a record added under it
    starts with."""
    return {"rel_to": list(record.rel_to.all()), "disclosure": record.disclosure,
            "tlp": record.tlp}


def fields_of(form):
    """What a valid form hands its write service: its own `service_fields()`, else the cleaned
    data."""
    service_fields = getattr(form, "service_fields", None)
    return service_fields() if service_fields else form.cleaned_data


def create_page(request, form, service, template, done, *, then=None, parent=None,
                **context):
    """A new marked record: its `form`, and a marking form (prefix "m"; by default released to
    the user's nation only). `service(user, **marking, **fields)` makes it; `done`, the message
    on success, is formatted with the new record's fields. Then on to `then`: by default the
    new record's page; given a function, the page it names for the new record. A record added
    under a `parent` starts with the parent's marking, and the service takes the parent:
    `service(user, parent, **marking, **fields)`."""
    user = request.user
    marking_form = MarkingForm(request.POST or None, prefix="m", initial=marking_of(parent)
                               if parent is not None else {"rel_to": [user.nation]})
    if request.method == "POST" and form.is_valid() and marking_form.is_valid():
        parents = () if parent is None else (parent,)
        record = run_service(form, service, user, *parents, **marking_form.marking(),
                             **fields_of(form))
        if record is not None:
            messages.success(request, done % vars(record))
            return redirect(then(record) if callable(then) else then or record)
    return render(request, template, {"form": form, "marking_form": marking_form,
                                      "parent": parent, **context})


def update_page(request, record, form, service, template, done, *, then=None, **context):
    """Change `record`, or record something about it, through `form`:
    `service(user, record, **fields)` decides. On success the message `done` and on to `then`
    (by default the record's page); the template shows `form` and `record`."""
    if request.method == "POST" and form.is_valid():
        if run_service(form, service, request.user, record, **fields_of(form)):
            messages.success(request, done)
            return redirect(then or record)
    return render(request, template, {"form": form, "record": record, **context})


def marking_page(request, record, service, template="core/marking.html", **context):
    """Change who may see `record`: `service(user, record, rel_to=…, disclosure=…, tlp=…)`
    decides; the template shows `form` and `record`."""
    form = MarkingForm(request.POST or None, initial=marking_of(record))
    if request.method == "POST" and form.is_valid():
        if run_service(form, service, request.user, record, **form.marking()):
            messages.success(request, _("Marking changed."))
            return redirect(record)
    return render(request, template, {"form": form, "record": record, **context})


def record_page(request, template, record, **context):
    """A marked record's page: `template` shows `record`, its `history`, and offers its edit
    (`can_change`) and marking (`can_mark`) buttons to those who may use them."""
    user = request.user
    return render(request, template, {
        "record": record, "history": history_for(record),
        "can_change": may(user, record, "change"),
        "can_mark": may(user, record, "change_marking"), **context})
