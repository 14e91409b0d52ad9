"""Translatable strings use only the names makemessages looks for.

makemessages runs xgettext with a fixed list of keywords; a string wrapped in any other name (say
`gettext_lazy as _lazy`) never reaches the catalog, so Spanish pages show it in English while the
catalog test still passes. This test forbids importing a translation function under another name.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIPPED = {".venv", "var", "node_modules", "migrations", "__pycache__"}
# The keywords Django's makemessages passes to xgettext for Python files.
KEYWORDS = {"_", "gettext", "gettext_lazy", "gettext_noop", "ngettext", "ngettext_lazy",
            "pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}


def python_files():
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if not SKIPPED.intersection(parts) and not parts[0].startswith("."):
            yield path


def hidden_names(source):
    """(line, imported name, name it is bound to) for each translation function bound to a name
    xgettext does not know."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            for alias in node.names:
                bound = alias.asname or alias.name
                if "gettext" in alias.name and bound not in KEYWORDS:
                    yield node.lineno, alias.name, bound


def test_hidden_names_are_found():
    source = ("from django.utils.translation import gettext_lazy as _lazy, pgettext_lazy\n"
              "from django.utils.translation import ugettext, gettext as _\n")
    assert list(hidden_names(source)) == [(1, "gettext_lazy", "_lazy"), (2, "ugettext", "ugettext")]


def test_no_translation_function_under_a_name_makemessages_cannot_see():
    found = [f"{path.relative_to(ROOT)}:{line}: {name} as {bound}"
             for path in python_files()
             for line, name, bound in hidden_names(path.read_text(encoding="utf-8"))]
    assert not found, (
        "makemessages does not see these names, so their strings never reach the catalog; "
        f"import as one of {sorted(KEYWORDS)}:\n" + "\n".join(found)
    )
