"""What the mutual-aid reads share: a filter that leaves out unset lookups, and nation codes as
they are stored."""


def nation_code(value):
    """A nation filter as the ISO alpha-3 code is stored (upper case); empty stays None."""
    return str(value).upper() if value else None


def filtered(queryset, **lookups):
    """`queryset` narrowed by each lookup that was given: None or empty leaves it out, so an
    unset filter shows everything (False and 0 still filter)."""
    return queryset.filter(**{k: v for k, v in lookups.items() if v is not None and v != ""})
