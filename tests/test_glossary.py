"""The Spanish catalog and the Spanish reference data follow the project's glossary.

`../shared/domain/glossary_es.csv` gives, for each recurring English term, the Mexican Spanish
Enlace uses and, in its notes, the forms it rejects and why ("plan de operaciones" is an OPLAN,
bare "puerto" is a seaport to a Mexican reader, Mexico has its own Guardia Nacional). The rejected
forms are read from those notes, so a term the glossary adds is checked without changing this
test; each must appear in no msgstr and in none of the Spanish the product ships as data.
"""

import ast
import csv
import os
import re
from pathlib import Path

import polib
import pytest

from accounts import reference as accounts_reference

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY = ROOT.parent / "shared" / "domain" / "glossary_es.csv"
CATALOG = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
QUOTE = r'"([^"]+)"'
# Quotation marks of other styles than the glossary's (“ ”).
QUOTATION_MARKS = "«»‹›„‚"
# Named by issue 17 for a term whose glossary row gives only the decided form (matrícula).
NAMED_BY_THE_ISSUE = {"número de servicio": "service number → matrícula"}


def glossary():
    if not GLOSSARY.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{GLOSSARY} is missing")
        pytest.skip(f"{GLOSSARY} is missing (the shared domain directory)")
    with open(GLOSSARY, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def word(form):
    """A rejected form as a case-insensitive pattern; an adjective's other gender and plural
    too ("nominado" → nominado, nominada, nominados, nominadas)."""
    stem = re.escape(form)
    if re.fullmatch(r"\w+[oa]", form):
        stem = re.escape(form[:-1]) + "[oa]s?"
    return rf"(?<!\w){stem}(?!\w)"


def rejected_forms(rows):
    """(pattern, why) for every form the glossary's notes reject."""
    found = []
    for row in rows:
        english, spanish, note = row["english"], row["spanish (Mexico)"], row["note"]
        why = f"{english} → {spanish} ({note})"
        for form in re.findall(r'(?:never|not) bare ' + QUOTE, note):
            # Bare: the word alone, not as the start of one of the decided Spanish forms.
            followers = [m.group(1) for m in re.finditer(
                rf"\b{re.escape(form)}s? (\w+)", spanish.replace("(", " "))]
            allowed = "".join(rf"(?!\s+{re.escape(f)})" for f in followers)
            found.append((rf"(?<!\w){re.escape(form)}s?(?!\w){allowed}", why))
        for form in re.findall(r'(?:never|not) ' + QUOTE, note):
            found.append((word(form), why))
        # A note that opens with the quoted form loses its quotes to CSV quoting.
        said = re.match(r'"?([^"]+?)"? (?:is an?|reads as|means) ', note)
        if said and not said.group(1).endswith(" also"):
            found.append((word(said.group(1)), why))
        for term in re.findall(r"has its own (.+)$", note):
            # Qualified wherever it is used ("Guardia Nacional (EE. UU.)"), or named as
            # California's own.
            qualifier = re.escape(re.search(rf"{re.escape(term)} (\(.+?\))", spanish).group(1))
            found.append((rf"{re.escape(term)}(?!(?: \w+){{0,2}} {qualifier}| de California)",
                          why))
        if english == "quotation marks":
            found.append((f"[{QUOTATION_MARKS}]", why))
    found += [(word(form), why) for form, why in NAMED_BY_THE_ISSUE.items()]
    return found


def catalog_texts():
    for entry in polib.pofile(str(CATALOG)):
        if entry.obsolete:
            continue
        label = entry.msgid + (f" (context {entry.msgctxt})" if entry.msgctxt else "")
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            if text:
                yield f"msgstr of {label!r}", text


def spanish_strings_of(path):
    """Spanish literals of a demo module: values of keys and keyword arguments named `*_es`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))

    def literal(node):
        return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) \
            else None

    for node in ast.walk(tree):
        pairs = []
        if isinstance(node, ast.Dict):
            pairs = [(literal(k), v) for k, v in zip(node.keys, node.values, strict=True)
                     if k is not None]
        elif isinstance(node, ast.Call):
            pairs = [(k.arg, k.value) for k in node.keywords]
        for name, value in pairs:
            if name and name.endswith("_es") and literal(value):
                yield f"{path.relative_to(ROOT)}:{value.lineno}", literal(value)


def reference_texts():
    """The Spanish the product ships as data: the curated CSV copies, the nations and
    organizations, and the demo records."""
    for path in sorted((ROOT / "response" / "data").glob("*.csv")):
        with open(path, encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.DictReader(f), start=2):
                for column, value in row.items():
                    if column.endswith("_es") and value:
                        yield f"{path.relative_to(ROOT)}:{n} {column}", value
    for code, _english, spanish in accounts_reference.NATIONS:
        yield f"nation {code}", spanish
    for acronym, *_rest, spanish in accounts_reference.ORGANIZATIONS:
        yield f"organization {acronym}", spanish
    for path in sorted(ROOT.glob("*/demo.py")):
        yield from spanish_strings_of(path)


def violations(texts, rules):
    return [f"{where}: {text!r} — {why}"
            for where, text in texts for pattern, why in rules
            if re.search(pattern, text, re.IGNORECASE)]


def test_the_glossary_notes_name_the_rejected_forms():
    """The test reads what the issue names; a glossary rewrite that lost them would let every
    form through."""
    patterns = [p for p, _why in rejected_forms(glossary())]
    for bad in ("Puerto de entrada", "Número de servicio", "Plan de operaciones", "Nominada",
                "Guardia Nacional", "AAR presentado", "«lista»", "la posición del puesto"):
        assert any(re.search(p, bad, re.IGNORECASE) for p in patterns), bad
    for good in ("garita (puerto fronterizo)", "Aeropuerto de Tijuana", "registrar llegada",
                 "Guardia Nacional (EE. UU.)", "Guardia Nacional del Ejército (EE. UU.)",
                 "Guardia Nacional de California", "plan operativo", "Postulada", "cargo"):
        assert not any(re.search(p, good, re.IGNORECASE) for p in patterns), good


def test_no_msgstr_uses_a_rejected_form():
    found = violations(catalog_texts(), rejected_forms(glossary()))
    assert not found, "the glossary rejects these forms:\n" + "\n".join(found)


def test_the_spanish_reference_data_uses_no_rejected_form():
    found = violations(reference_texts(), rejected_forms(glossary()))
    assert not found, "the glossary rejects these forms:\n" + "\n".join(found)
