"""Short forms of long text for labels and headings."""

import textwrap


def shorten(text, width):
    """`text` in at most `width` characters, cut between words and ending in "…" when cut (a
    label never stops mid-word)."""
    return textwrap.shorten(str(text or ""), width=width, placeholder=" …")
