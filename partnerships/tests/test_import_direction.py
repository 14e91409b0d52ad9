"""Engagements depend on partnerships (an engagement belongs to a partnership and serves its
objectives), never the other way: no partnerships module imports engagements."""

import ast
from pathlib import Path

import partnerships

APP = Path(partnerships.__file__).parent


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module


def test_partnerships_never_imports_engagements():
    modules = [path for path in APP.rglob("*.py")
               if "tests" not in path.relative_to(APP).parts
               and "migrations" not in path.relative_to(APP).parts]
    assert APP / "views.py" in modules
    offending = sorted(
        f"{path.relative_to(APP)}: {name}" for path in modules
        for name in _imports(ast.parse(path.read_text(), filename=str(path)))
        if name == "engagements" or name.startswith("engagements."))
    assert offending == []
