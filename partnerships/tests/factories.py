from accounts.models import Nation
from partnerships.services import create_partnership


def make_partnership(user, partner="UKR", rel_to=("USA",), disclosure="approved", **fields):
    """A partnership owned by `user`'s nation. Each partner nation may have one per state, so
    tests pass a distinct partner or state when they need several."""
    partner_nation = Nation.objects.get(code=partner)
    defaults = {
        "name_en": f"California – {partner_nation.name_en}",
        "name_es": f"California – {partner_nation.name_es}",
        "us_state": "CA", "partner_nation": partner_nation,
    }
    return create_partnership(user, rel_to=list(Nation.objects.filter(code__in=rel_to)),
                              disclosure=disclosure, **{**defaults, **fields})
