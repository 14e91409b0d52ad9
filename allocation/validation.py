"""Validating instances and plans against the published JSON Schemas (docs/*.schema.json).

The schemas are the contract. Checking a 5,000-resource instance with `jsonschema` costs
several times the solve, so every document is first checked by `msgspec` (C) against types
generated from the same schema. msgspec calls back into Python for each `pattern` and for
`uniqueItems`, which would be most of its cost; those two are checked afterwards on the
distinct values found at their paths (a few dozen distinct instants, a handful of language
lists). Only a document that fails goes through `jsonschema`, which lists every error with its
path. Tests run valid and invalid samples through both and check that they agree.

The translation knows the keywords these schemas use and refuses any other, so a schema
change it cannot follow fails loudly instead of being checked less.
"""

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Union

import msgspec

DOCS = Path(__file__).resolve().parent.parent / "docs"
INSTANCE_SCHEMA = DOCS / "allocation-instance.schema.json"
PLAN_SCHEMA = DOCS / "allocation-plan.schema.json"
# Keywords that only describe: a reference beside them can be merged into its target.
ANNOTATIONS = {"description", "title", "default", "examples", "$comment", "$id", "$schema"}
SCALARS = {"string": str, "number": float, "boolean": bool}
BOUNDS = {"minLength": "min_length", "maxLength": "max_length", "minimum": "ge",
          "maximum": "le", "exclusiveMinimum": "gt", "exclusiveMaximum": "lt"}
EACH = "*"  # a path step through every item of an array or every value of a map


@lru_cache(maxsize=4)
def schema(schema_file):
    return json.loads(Path(schema_file).read_text(encoding="utf-8"))


def inline_references(node, defs):
    """The schema with every `#/$defs/...` reference replaced by its target. A reference beside
    other assertions keeps both, under allOf, as draft 2020-12 reads it."""
    if isinstance(node, list):
        return [inline_references(item, defs) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        target = inline_references(defs[ref.removeprefix("#/$defs/")], defs)
        rest = {k: v for k, v in node.items() if k != "$ref"}
        if set(rest) <= ANNOTATIONS:
            return {**target, **rest}
        return {"allOf": [target, inline_references(rest, defs)]}
    return {k: inline_references(v, defs) for k, v in node.items() if k != "$defs"}


class Contract:
    """A schema as msgspec types, plus the pattern and uniqueness checks left for afterwards."""

    def __init__(self, document):
        self.patterns = []  # (path, compiled pattern)
        self.unique = []  # paths of arrays whose items must differ
        self.structs = 0
        self.type = self.translate(inline_references(document, document.get("$defs", {})), ())

    def translate(self, node, path):
        assertions = {k: v for k, v in node.items() if k not in ANNOTATIONS}
        unknown = set(assertions) - {"type", "const", "enum", "properties", "required",
                                     "additionalProperties", "items", "pattern", "uniqueItems",
                                     *BOUNDS}
        if unknown:
            raise NotImplementedError(f"{'/'.join(path) or '(root)'}: {sorted(unknown)}")
        if "const" in assertions:
            return Literal[self.literal(assertions["const"])]
        if "enum" in assertions:
            return Literal[tuple(self.literal(v) for v in assertions["enum"])]
        kind = assertions.get("type")
        if isinstance(kind, list):
            # A union built from a list at run time: `|` has no spelling for that.
            return Union[tuple(self.translate({**assertions, "type": one}, path)  # noqa: UP007
                               for one in kind)]
        if kind == "object":
            return self.object(assertions, path)
        if kind == "array":
            return self.array(assertions, path)
        if kind == "string" and "pattern" in assertions:
            self.patterns.append((path, re.compile(assertions["pattern"])))
        bounds = {BOUNDS[k]: v for k, v in assertions.items() if k in BOUNDS}
        if kind == "null":  # bounds and patterns apply only to their own types
            return None
        if kind == "integer":  # JSON Schema counts 2.0 as an integer; msgspec's int would not
            return Annotated[float, msgspec.Meta(multiple_of=1, **bounds)]
        base = SCALARS[kind]
        return Annotated[base, msgspec.Meta(**bounds)] if bounds else base

    @staticmethod
    def literal(value):
        if not isinstance(value, str):  # msgspec's Literal would let 1 and 1.0 differ
            raise NotImplementedError(f"a non-string const or enum value: {value!r}")
        return value

    def object(self, node, path):
        extra = node.get("additionalProperties", True)
        if "properties" not in node:
            return dict[str, Any if extra is True else self.translate(extra, path + (EACH,))]
        if extra not in (True, False):
            raise NotImplementedError(f"{'/'.join(path)}: properties and a schema for others")
        required = set(node.get("required", ()))
        fields = []
        for number, (key, sub) in enumerate(node["properties"].items()):
            # Generated attribute names: a JSON key need not be a Python identifier.
            default = msgspec.NODEFAULT if key in required else msgspec.UNSET
            fields.append((f"f{number}", self.translate(sub, path + (key,)),
                           msgspec.field(name=key, default=default)))
        missing = required - set(node["properties"])
        fields += [(f"r{n}", Any, msgspec.field(name=key)) for n, key in enumerate(missing)]
        fields.sort(key=lambda field: field[2].default is not msgspec.NODEFAULT)
        self.structs += 1
        return msgspec.defstruct(f"Part{self.structs}", fields,
                                 forbid_unknown_fields=extra is False)

    def array(self, node, path):
        items = node.get("items", {})
        if node.get("uniqueItems"):
            if not set(items) & {"enum", "const"} and items.get("type") != "string":
                raise NotImplementedError(f"{'/'.join(path)}: uniqueItems on non-strings")
            self.unique.append(path)
        return list[self.translate(items, path + (EACH,)) if items else Any]

    def holds(self, data):
        try:
            msgspec.convert(data, self.type, strict=True)
        except msgspec.ValidationError:
            return False
        return (all(pattern.search(value) for path, pattern in self.patterns
                    for value in distinct(data, path) if isinstance(value, str))
                and all(len(set(items)) == len(items) for path in self.unique
                        for items in distinct(data, path) if isinstance(items, tuple)))


def distinct(data, path):
    """The distinct values at a path of a document msgspec has accepted (lists as tuples)."""
    found = [data]
    for step in path:
        if step == EACH:
            found = [item for value in found
                     for item in (value.values() if isinstance(value, dict) else value)]
        else:
            found = [value[step] for value in found if step in value]
    return {tuple(value) if isinstance(value, list) else value for value in found}


@lru_cache(maxsize=4)
def contract(schema_file):
    return Contract(schema(str(schema_file)))


@lru_cache(maxsize=4)
def full_validator(schema_file):
    import jsonschema

    return jsonschema.Draft202012Validator(schema(str(schema_file)))


def errors(data, schema_file):
    """Every schema error as 'path: message', in document order; [] when the document is
    valid (decided by the msgspec contract alone)."""
    if contract(str(schema_file)).holds(data):
        return []
    found = sorted(full_validator(str(schema_file)).iter_errors(data), key=lambda e: list(e.path))
    if not found:  # the two disagree: keep the contract's word, with msgspec's reason
        try:
            msgspec.convert(data, contract(str(schema_file)).type, strict=True)
        except msgspec.ValidationError as reason:
            return [str(reason)]
        return ["(root): a pattern or a uniqueness rule does not hold"]
    return [f"{'/'.join(str(p) for p in e.path) or '(root)'}: {e.message}" for e in found]


def instance_errors(data):
    return errors(data, INSTANCE_SCHEMA)


def plan_errors(plan):
    return errors(plan, PLAN_SCHEMA)
