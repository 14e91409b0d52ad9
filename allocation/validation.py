"""Validating instances and plans against the published JSON Schemas (docs/*.schema.json).

The schemas are the contract. Checking a 5,000-resource instance with `jsonschema` costs
several times the solve. So every document first goes through a validator that
`fastjsonschema` compiles from the same schema, with its local `$ref`s written in place (a
call per reference is most of that validator's cost). Only a document that fails goes through
`jsonschema`, which lists every error with its path. Tests run valid and invalid samples
through both and check that they agree.
"""

import json
from functools import lru_cache
from pathlib import Path

DOCS = Path(__file__).resolve().parent.parent / "docs"
INSTANCE_SCHEMA = DOCS / "allocation-instance.schema.json"
PLAN_SCHEMA = DOCS / "allocation-plan.schema.json"
# Keywords that only describe: a reference beside them can be merged into its target.
ANNOTATIONS = {"description", "title", "default", "examples", "$comment"}


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


@lru_cache(maxsize=4)
def fast_validator(schema_file):
    """The compiled validator of a schema file: raises JsonSchemaValueException at the first
    error. Defaults are not filled in: the document is read, never changed."""
    import fastjsonschema

    document = schema(str(schema_file))
    flat = inline_references(document, document.get("$defs", {}))
    flat.pop("$schema", None)  # its keywords are draft 7's; 2020-12's name is unknown to it
    return fastjsonschema.compile(flat, use_default=False)


@lru_cache(maxsize=4)
def full_validator(schema_file):
    import jsonschema

    return jsonschema.Draft202012Validator(schema(str(schema_file)))


def errors(data, schema_file):
    """Every schema error as 'path: message', in document order; [] when the document is
    valid (decided by the compiled validator alone)."""
    import fastjsonschema

    try:
        fast_validator(str(schema_file))(data)
        return []
    except fastjsonschema.JsonSchemaValueException as first:
        found = sorted(full_validator(str(schema_file)).iter_errors(data),
                       key=lambda e: list(e.path))
        if not found:  # the two disagree: keep the compiled validator's word
            return [f"{first.name.removeprefix('data').lstrip('.') or '(root)'}: "
                    f"{first.message}"]
        return [f"{'/'.join(str(p) for p in e.path) or '(root)'}: {e.message}" for e in found]


def instance_errors(data):
    return errors(data, INSTANCE_SCHEMA)


def plan_errors(plan):
    return errors(plan, PLAN_SCHEMA)
