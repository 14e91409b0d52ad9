"""The Spanish catalog is complete and safe to render.

Half of Enlace's users (DEFENSA liaisons, Baja California civil protection) work in Spanish. These
tests fail when a screen would show them English or break: an entry of locale/es is untranslated or
fuzzy, a translatable string in the code never reached the catalog (makemessages was not run), or a
translation drops or renames a placeholder (a renamed `%(name)s` raises KeyError at render time).
"""

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
CATALOG = Path("locale/es/LC_MESSAGES/django.po")
IGNORE = [".venv/*", "var/*", "node_modules/*"]  # as in the documented makemessages command

PYTHON_FORMAT = re.compile(r"%(?:\(\w+\))?[#0 +-]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
TEMPLATE_VAR = re.compile(r"\{\{\s*\w+\s*\}\}")


def entries(path):
    return [e for e in polib.pofile(str(path)) if not e.obsolete]


def label(entry):
    return f"{entry.msgid!r}" + (f" (context {entry.msgctxt!r})" if entry.msgctxt else "")


def placeholders(text, python_format):
    found = TEMPLATE_VAR.findall(text)
    if python_format:
        found += [m for m in PYTHON_FORMAT.findall(text) if m != "%%"]
    return Counter(re.sub(r"\s", "", p) for p in found)


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(ROOT / CATALOG))
    untranslated = [label(e) for e in po.untranslated_entries()]
    fuzzy = [label(e) for e in po.fuzzy_entries()] + (["(header)"] if po.metadata_is_fuzzy else [])
    assert not untranslated and not fuzzy, f"untranslated: {untranslated}\nfuzzy: {fuzzy}"


def test_catalog_has_every_translatable_string(tmp_path, settings, monkeypatch):
    if not shutil.which("xgettext"):
        if os.environ.get("CI"):
            pytest.fail("xgettext is missing: install GNU gettext")
        pytest.skip("xgettext is missing (GNU gettext); CI installs it")
    # makemessages writes into every `locale` directory it walks past and into ./locale, ahead of
    # LOCALE_PATHS: run in the project root, it would rewrite the real catalog whatever
    # LOCALE_PATHS says. So it runs on a copy of the project, less what it ignores anyway.
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(".*", "var", "node_modules",
                                                              "__pycache__"))
    settings.LOCALE_PATHS = [str(copy / "locale")]
    monkeypatch.chdir(copy)
    committed = (ROOT / CATALOG).read_bytes()

    call_command("makemessages", locale=["es"], ignore_patterns=IGNORE, no_obsolete=True,
                 verbosity=0)

    assert (ROOT / CATALOG).read_bytes() == committed, "the test modified the real catalog"
    known = {(e.msgctxt, e.msgid) for e in entries(ROOT / CATALOG)}
    missing = [label(e) for e in entries(copy / CATALOG) if (e.msgctxt, e.msgid) not in known]
    assert not missing, (
        "strings missing from locale/es (run `DEBUG=1 .venv/bin/enlace makemessages --locale es "
        f"--no-obsolete --ignore '.venv/*' --ignore 'var/*'` and translate them): {missing}"
    )


def test_translations_keep_the_placeholders():
    wrong = []
    for e in entries(ROOT / CATALOG):
        python_format = "python-format" in e.flags
        if e.msgid_plural:
            pairs = [(e.msgid if n == 0 else e.msgid_plural, s) for n, s in e.msgstr_plural.items()]
        else:
            pairs = [(e.msgid, e.msgstr)]
        for source, translation in pairs:
            if translation and placeholders(source, python_format) != placeholders(
                translation, python_format
            ):
                wrong.append(f"{label(e)} -> {translation!r}")
    assert not wrong, "placeholders differ from the msgid:\n" + "\n".join(wrong)
