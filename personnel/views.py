from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import MarkingForm
from core.history import history_for
from core.views import get_one, paginate, run_service
from personnel import exports, imports, selectors, services
from personnel.eligibility import eligibility
from personnel.forms import AsOfForm, ImportForm, OrderFilterForm, OrderForm, RosterFilterForm
from personnel.models import Member, Order, Unit


def _can_see_passports(user):
    return user.has_perm("personnel.view_passport_member")


# Roster --------------------------------------------------------------------------------------

@login_required
def roster(request):
    user = request.user
    units = list(Unit.objects.restrict(user).prefetch_related(None))
    form = RosterFilterForm(request.GET, units=units)
    moment = form.moment()
    filters = form.filters()
    page = paginate(request, selectors.roster(user, moment, **filters))
    template = "personnel/_roster.html" if request.htmx else "personnel/roster.html"
    return render(request, template, {
        "form": form, "page": page, "moment": moment, "filters": filters,
        "counts": selectors.roster_counts(user, moment, unit=filters["unit"]),
        "as_of_query": form.as_of_query(),
        "can_add_order": user.has_perm("personnel.add_order"),
    })


@login_required
def roster_export(request):
    """The roster as shown (moment and filters) as CSV or XLSX."""
    user = request.user
    form = RosterFilterForm(request.GET, units=list(Unit.objects.restrict(user)))
    return exports.roster_export(user, form.moment(), form.filters(),
                                 format="xlsx" if request.GET.get("format") == "xlsx" else "csv")


@login_required
@permission_required("personnel.add_member", raise_exception=True)
@require_http_methods(["GET", "POST"])
def import_file(request):
    """Upload members or duty periods; every row is checked before anything is stored."""
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        run = imports.import_members if form.cleaned_data["kind"] == "members" \
            else imports.import_periods
        try:
            report = run(request.user, form.cleaned_data["file"])
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        if report is not None and report.ok:
            messages.success(request, _(
                "Imported %(rows)d rows: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged.") % {"rows": report.rows, "created": report.created,
                                               "updated": report.updated,
                                               "unchanged": report.unchanged})
            return redirect("personnel:import")
    return render(request, "personnel/import.html", {"form": form, "report": report})


# Member --------------------------------------------------------------------------------------

def _language_names(member):
    names = []
    for code in member.language_list:
        try:
            names.append(translation.get_language_info(code)["name_translated"])
        except KeyError:
            names.append(code)
    return names


def _verdicts(result):
    return [
        (_("Available to the governor"), result.available_to_state),
        (_("Posse Comitatus restrictions apply"), result.law_enforcement_restricted),
        (_("Partnership event abroad"), result.partnership_event_abroad),
        (_("State mutual aid"), result.state_mutual_aid),
    ]


def _in_effect(periods, moment):
    return next((p for p in periods
                 if p.start <= moment and (p.end is None or p.end > moment)), None)


@login_required
def member_detail(request, pk):
    user = request.user
    member = get_one(selectors.members_for(user), pk)
    form = AsOfForm(request.GET)
    moment = form.moment()
    can_see_passport = _can_see_passports(user)
    periods = list(selectors.timeline(member))
    current = _in_effect(periods, moment)
    visible_orders = set(
        Order.objects.restrict(user).prefetch_related(None)
        .filter(pk__in={p.opened_by_id for p in periods if p.opened_by_id})
        .values_list("pk", flat=True))
    on = timezone.localtime(moment).date()
    result = eligibility(member, moment, period=current)
    return render(request, "personnel/member.html", {
        "member": member, "form": form, "moment": moment, "on": on,
        "as_of_query": form.as_of_query(),
        "language_names": _language_names(member),
        "qualifications": [(q, q.is_current(on)) for q in member.qualifications.all()],
        "can_see_passport": can_see_passport,
        "passport_expired": bool(member.passport_expires and member.passport_expires < on),
        "eligibility": result, "verdicts": _verdicts(result),
        "periods": periods, "current": current, "visible_orders": visible_orders,
        "history": history_for(member),
    })


# Orders --------------------------------------------------------------------------------------

def _orders(user, state=None, kind=None, q=None):
    # Aggregating queries drop Meta.ordering: order explicitly, as the model does.
    orders = selectors.orders_for(user).order_by("-effective_at", "-pk")
    if state:
        orders = orders.filter(state=state)
    if kind:
        orders = orders.filter(kind=kind)
    if q:
        orders = orders.filter(Q(title_en__icontains=q) | Q(title_es__icontains=q)
                               | Q(reference__icontains=q))
    return orders


@login_required
def order_list(request):
    user = request.user
    form = OrderFilterForm(request.GET)
    filters = form.filters()
    page = paginate(request, _orders(user, **filters))
    if request.htmx:
        return render(request, "personnel/_orders.html", {"page": page})
    return render(request, "personnel/orders.html", {
        "form": form, "page": page, "deadlines": selectors.deadlines(user),
        "can_add_order": user.has_perm("personnel.add_order"),
    })


@login_required
@permission_required("personnel.add_order", raise_exception=True)
@require_http_methods(["GET", "POST"])
def order_create(request):
    user = request.user
    form = OrderForm(request.POST or None, user=user, prefix="o")
    marking_form = MarkingForm(request.POST or None, prefix="m",
                               initial={"rel_to": [user.nation]})
    if request.method == "POST" and form.is_valid() and marking_form.is_valid():
        order = run_service(form, services.create_order, user, members=form.members,
                            **marking_form.marking(), **form.service_fields())
        if order is not None:
            messages.success(request, _("Order created as a draft. Check the preview, then "
                                        "apply it."))
            return redirect(order)
    return render(request, "personnel/order_form.html",
                  {"form": form, "marking_form": marking_form})


def _preview(user, order):
    """What applying the order would change, with counts over every member it covers and
    rows only for the members the user may see."""
    plan = services.plan_order(order)
    visible = set(Member.objects.restrict(user).prefetch_related(None)
                  .filter(pk__in=[c.member.pk for c in plan]).values_list("pk", flat=True))
    return {
        "changing": sum(1 for c in plan if c.changes),
        "conflicting": sum(1 for c in plan if c.conflict),
        "unchanged": sum(1 for c in plan if not c.conflict and not c.changes),
        "rows": [c for c in plan if c.member.pk in visible],
        "hidden": sum(1 for c in plan if c.member.pk not in visible),
    }


@login_required
def order_detail(request, pk):
    user = request.user
    order = get_one(selectors.orders_for(user), pk)
    preview = page = None
    if order.state == Order.State.DRAFT:
        preview = _preview(user, order)
        page = paginate(request, preview["rows"])
    else:
        effects = (order.effects.filter(member__in=Member.objects.restrict(user).values("pk"))
                   .select_related("member", "member__unit")
                   .order_by("member__last_name", "member__first_name", "member__pk"))
        page = paginate(request, effects)
    outstanding = (selectors.federal_members(order, timezone.now()).count()
                   if order.deadline else None)
    return render(request, "personnel/order.html", {
        "order": order, "preview": preview, "page": page, "outstanding": outstanding,
        "stays_visible": bool(order.stays_id) and Order.objects.restrict(user)
        .filter(pk=order.stays_id).exists(),
        "stayed_by": list(order.stayed_by.filter(
            pk__in=Order.objects.restrict(user).values("pk"))),
        "can_apply": any(o.name == "apply" for o in services.ORDER_LIFECYCLE.options(user, order)),
        "history": history_for(order),
    })


@login_required
@permission_required("personnel.apply_order", raise_exception=True)
@require_POST
def order_apply(request, pk):
    user = request.user
    order = get_one(Order.objects.restrict(user, "apply"), pk)
    try:
        plan = services.apply_order(user, order)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        changed = sum(1 for c in plan if c.changes)
        messages.success(request, ngettext(
            "Order applied: %(count)d member changed duty status.",
            "Order applied: %(count)d members changed duty status.", changed) % {
            "count": changed})
    return redirect(order)
