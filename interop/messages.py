"""interop.xml's error codes in the reader's language: the one place an XMLError becomes text a
user reads (pages, API errors)."""

from django.utils.translation import gettext as _


def _problem(problem):
    """One schema problem, from its parts (libxml2's own text is English only)."""
    if problem.kind == "unexpected_element" and problem.expected:
        text = _("element “%(element)s” is not expected here; expected: %(expected)s") % {
            "element": problem.element, "expected": problem.expected}
    elif problem.kind == "unexpected_element":
        text = _("element “%(element)s” is not expected here") % {"element": problem.element}
    elif problem.kind == "missing_element":
        text = _("element “%(element)s” lacks a required element: %(expected)s") % {
            "element": problem.element, "expected": problem.expected}
    elif problem.kind == "bad_value" and problem.expected:
        text = _("“%(value)s” is not a valid value of “%(element)s” (one of: %(expected)s)") % {
            "value": problem.value, "element": problem.element, "expected": problem.expected}
    elif problem.kind == "bad_value":
        text = _("“%(value)s” is not a valid value of “%(element)s”") % {
            "value": problem.value, "element": problem.element}
    else:
        text = problem.message  # libxml2's own words: English only
    return _("line %(line)s: %(problem)s") % {"line": problem.line, "problem": text}


def describe(error):
    """An XMLError as one sentence in the active language."""
    params = error.params
    if error.code == "invalid":
        if error.problems:
            detail = "; ".join(_problem(p) for p in error.problems)
        else:
            detail = params.get("detail", "")
        return _("The document does not follow its schema: %(detail)s") % {"detail": detail}
    if error.code == "too_large":
        return _("The document is larger than %(limit)s bytes.") % params
    if error.code == "empty":
        return _("The document is empty.")
    if error.code == "doctype":
        return _("The document declares a DOCTYPE (a DTD or entities), which Enlace refuses.")
    if error.code == "malformed":
        return _("The document is not well-formed XML (line %(line)s): %(detail)s") % params
    if error.code == "unknown_document":
        return _("The document's root element %(root)s is not a document Enlace reads.") % params
    if error.code == "unsupported_version":
        return _("The document is %(root)s, a version Enlace does not read.") % params
    return _("The document must be given as bytes.")


def media_type_refused():
    return _("Send the document as application/cap+xml or application/xml.")
