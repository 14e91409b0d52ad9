"""One safe way to read XML, and the OASIS schemas to check it against. No Django here.

Every XML document Enlace reads — an uploaded CAP file, an API body, an EDXL envelope — goes
through `parse()`: one lxml parser configuration that loads no DTD, expands no entity, opens no
network or file, refuses a document over a size limit and refuses any DOCTYPE (the door through
which XML bombs and external-entity attacks come). Every document Enlace writes or accepts is
checked with `validate()` against a schema shipped in `interop/xsd/` (see its README).

Errors are `XMLError`s carrying a stable `code` and `params`; `str()` gives an English message,
and the Django side (`interop.messages`) gives the same message in the reader's language.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).resolve().parent / "xsd"

# The most a single inbound document may weigh. A CAP alert is a few kilobytes; one with an
# embedded resource (derefUri) a few megabytes at most.
MAX_BYTES = 10 * 1024 * 1024

# The XML namespaces of the documents Enlace understands.
CAP_10 = "http://www.incident.com/cap/1.0"
CAP_11 = "urn:oasis:names:tc:emergency:cap:1.1"
CAP_12 = "urn:oasis:names:tc:emergency:cap:1.2"
XMLDSIG = "http://www.w3.org/2000/09/xmldsig#"

# Schema files (relative to SCHEMAS) by namespace.
SCHEMA_FILES = {
    CAP_10: "cap/cap10.xsd",
    CAP_11: "cap/cap11.xsd",
    CAP_12: "cap/cap12.xsd",
}

# English texts of the error codes; interop.messages holds the same in the reader's language.
MESSAGES = {
    "not_bytes": "The document must be given as bytes.",
    "empty": "The document is empty.",
    "too_large": "The document is larger than {limit} bytes.",
    "doctype": "The document declares a DOCTYPE (a DTD or entities), which Enlace refuses.",
    "malformed": "The document is not well-formed XML (line {line}): {detail}",
    "unknown_document": "The document's root element {root} is not a document Enlace reads.",
    "unsupported_version": "The document is {root}, a version Enlace does not read.",
    "invalid": "The document does not follow its schema: {detail}",
}

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)


@dataclass
class SchemaProblem:
    """One schema violation: where (line, element path) and what (a kind with its parts)."""

    line: int
    path: str
    element: str
    kind: str  # unexpected_element, missing_element, bad_value, other
    value: str = ""
    expected: str = ""
    message: str = ""  # libxml2's own English text

    def __str__(self):
        return f"line {self.line}: {self.message}"


@dataclass
class XMLError(ValueError):
    """A document refused: `code` (a key of MESSAGES), `params` for its text, and for a schema
    violation the `problems` found."""

    code: str
    params: dict = field(default_factory=dict)
    problems: list = field(default_factory=list)

    def __post_init__(self):
        super().__init__(str(self))

    def __str__(self):
        return MESSAGES[self.code].format(**self.params)


def _parser():
    return etree.XMLParser(
        resolve_entities=False,   # never expand an entity (no billion laughs, no XXE)
        no_network=True,          # never fetch anything
        load_dtd=False,           # never read a DTD, internal or external
        dtd_validation=False,
        huge_tree=False,          # keep libxml2's depth and text-size limits
        remove_comments=True,
        remove_pis=True,
    )


def parse(data, *, max_bytes=MAX_BYTES):
    """The document's root element, or XMLError. `data` is the raw bytes as received (their
    encoding declaration is honoured)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise XMLError("not_bytes")
    data = bytes(data)
    if len(data) > max_bytes:
        raise XMLError("too_large", {"limit": max_bytes})
    if not data.strip():
        raise XMLError("empty")
    if _DOCTYPE.search(data[:4096]):
        raise XMLError("doctype")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as error:
        raise XMLError("malformed", {"line": error.lineno or 0,
                                     "detail": error.msg or str(error)}) from None
    except ValueError as error:  # e.g. an encoding declaration lxml cannot honour
        raise XMLError("malformed", {"line": 0, "detail": str(error)}) from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise XMLError("doctype")
    for _node in root.iter(etree.Entity):
        raise XMLError("doctype")
    return root


@cache
def schema(namespace):
    """The compiled XMLSchema for a namespace of SCHEMA_FILES (compiled once per process)."""
    path = SCHEMAS / SCHEMA_FILES[namespace]
    return etree.XMLSchema(etree.parse(str(path), _parser()))


_EXPECTED = re.compile(r"Expected is(?: one of)? \( (.+?) \)")
_VALUE = re.compile(r"[Tt]he value '([^']*)'|'([^']*)' is not")
_BRACES = re.compile(r"\{(?:urn:|https?:)[^}]*\}")
_SET = re.compile(r"the set \{(.*)\}")
_KINDS = {
    "SCHEMAV_ELEMENT_CONTENT": "unexpected_element",
    "SCHEMAV_CVC_COMPLEX_TYPE_2_4": "unexpected_element",
    "SCHEMAV_CVC_ENUMERATION_VALID": "bad_value",
    "SCHEMAV_CVC_PATTERN_VALID": "bad_value",
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_1": "bad_value",
    "SCHEMAV_CVC_TYPE_3_1_2": "bad_value",
    "SCHEMAV_CVC_MINLENGTH_VALID": "bad_value",
    "SCHEMAV_CVC_MAXLENGTH_VALID": "bad_value",
}


def _problem(entry, root):
    message = entry.message
    kind = _KINDS.get(entry.type_name, "other")
    expected = _EXPECTED.search(message) or _SET.search(message)
    value = _VALUE.search(message)
    element = re.match(r"Element '([^']*)'", message)
    if kind == "unexpected_element" and "Missing child element" in message:
        kind = "missing_element"
    if kind in ("bad_value",) and element is None:
        kind = "other"
    return SchemaProblem(
        line=entry.line or 0,
        path=_BRACES.sub("", entry.path or ""),
        element=_BRACES.sub("", element.group(1)) if element else "",
        kind=kind,
        value=(value.group(1) or value.group(2) or "") if value else "",
        expected=_BRACES.sub("", expected.group(1)).replace("'", "") if expected else "",
        message=_BRACES.sub("", message),
    )


def validate(root, namespace=None):
    """Check `root` against the schema of `namespace` (by default its own). XMLError("invalid")
    with every problem found, or None."""
    namespace = namespace or etree.QName(root).namespace
    xsd = schema(namespace)
    try:
        ok = xsd.validate(root)
    except etree.XMLSchemaValidateError as error:  # an unexpanded entity reaches the schema
        raise XMLError("doctype") from error
    if ok:
        return
    problems = [_problem(entry, root) for entry in xsd.error_log]
    raise XMLError("invalid", {"detail": "; ".join(str(p) for p in problems)}, problems)


def serialize(root):
    """UTF-8 bytes with an XML declaration."""
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
