from django.db.models import Q

from partnerships.models import Partnership


def partnerships_for(user, *, partner_nation=None, status=None, q=None, action="view"):
    qs = Partnership.objects.restrict(user, action).select_related("partner_nation")
    if partner_nation:
        qs = qs.filter(partner_nation__code=partner_nation.upper())
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name_en__icontains=q) | Q(name_es__icontains=q))
    return qs
