from django import template

from core.text import shorten as shorten_text

register = template.Library()


@register.filter
def shorten(text, width):
    """core.text.shorten as a filter: {{ statement|shorten:80 }}."""
    return shorten_text(text, int(width))
