"""View helpers every domain shares: run a service and turn its refusals into form errors."""

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404


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


def paginate(request, queryset, per_page=25):
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def get_one(queryset, pk):
    """Record `pk` of an already restricted queryset, or 404 — whether it is missing, not
    releasable to the user, or `pk` is not an id at all."""
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
