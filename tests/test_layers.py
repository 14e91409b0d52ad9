"""Which module may import which: the apps form layers, and a layer never reaches up.

core is the bottom (markings, restrict(), history, the API's shared parts); accounts sits on it;
the domain apps sit on accounts; the `enlace` project package gathers them all (its settings
name what a lower layer needs from a higher one, such as the nations a user works with). An
import that reaches up ties the lower app to the higher one's changes and makes cycles. Tests
may import anything; every other module of the product is read here, with ast, not imported.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("core", "accounts", "partnerships", "personnel", "engagements", "response",
            "border", "exercises", "allocation", "interop", "web", "enlace")
DOMAIN = ("partnerships", "engagements", "personnel", "response", "border", "exercises",
          "allocation", "interop")
# Pure libraries: no Django and no app of the project but themselves, so they run (and are
# benchmarked) with no settings or database. allocation whole; interop's codecs.
PURE = ("allocation", "interop.xml", "interop.cap")


def _is_pure(module):
    return any(module == pure or module.startswith(pure + ".") for pure in PURE)



def _is_test(path):
    parts = path.relative_to(ROOT).parts
    return "tests" in parts or path.name.startswith("test_") or path.name == "conftest.py"


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path):
    """(imported module, imported name or None, line) for each import in the file."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                source = ".".join([*base, source] if source else base)
            for alias in node.names:
                yield source, alias.name, node.lineno


MODULES = {
    _module_name(path): path
    for package in PACKAGES
    for path in sorted((ROOT / package).rglob("*.py"))
    if not _is_test(path)
}
IMPORTS = {name: list(_imports(path)) for name, path in MODULES.items()}


def _top(module):
    return module.partition(".")[0]


def _is_services(module):
    return "services" in module.split(".")


def _is_tasks(module):
    return module.split(".")[-1] == "tasks"


def _reaching(importer, allowed_to_reach):
    return [
        f"{MODULES[module].relative_to(ROOT)}:{line} imports {source}"
        for module, imports in IMPORTS.items() if importer(module)
        for source, _name, line in imports if allowed_to_reach(source)
    ]


RULES = {
    "core imports no app above it": (
        lambda module: _top(module) == "core",
        lambda source: _top(source) in ("accounts", *DOMAIN)),
    "accounts imports no domain app": (
        lambda module: _top(module) == "accounts",
        lambda source: _top(source) in DOMAIN),
    "partnerships does not import engagements (engagements build on partnerships)": (
        lambda module: _top(module) == "partnerships",
        lambda source: _top(source) == "engagements"),
    # border builds on response (its events open incidents, its reports are about ports);
    # response reads the port status board through response.port_board, which
    # settings.PORT_STATUS_BOARD points at border.
    "response does not import border (border builds on response)": (
        lambda module: _top(module) == "response",
        lambda source: _top(source) == "border"),
    "pure libraries import no Django and no other app": (
        _is_pure,
        lambda source: _top(source) == "django" or (
            _top(source) in PACKAGES and not _is_pure(source))),
    # Jobs run services; a service that imported the jobs that run it would close a cycle. It
    # may queue a job that runs no service (core.tasks.send_email, the mail outbox).
    "services import no job that runs services": (
        _is_services,
        lambda source: _is_tasks(source) and any(
            _is_services(imported) for imported, _name, _line in IMPORTS.get(source, ()))),
}


@pytest.mark.parametrize("rule", RULES)
def test_layers(rule):
    assert _reaching(*RULES[rule]) == []


def test_response_templates_load_no_template_library_of_border():
    """The template side of the same rule: a `{% load %}` of border's library would tie
    response's pages to border as an import does."""
    import re

    border = {p.stem for p in (ROOT / "border" / "templatetags").glob("*.py")} - {"__init__"}
    assert border  # the rule reads something
    loads = [
        f"{path.relative_to(ROOT)} loads {name}"
        for path in sorted((ROOT / "response" / "templates").rglob("*.html"))
        for names in re.findall(r"{%\s*load\s+(.+?)\s*%}", path.read_text(encoding="utf-8"))
        for name in names.split() if name in border
    ]
    assert loads == []


def test_no_module_imports_another_modules_private_name():
    """A leading underscore means "this module's own": another module that needs the name asks
    for a public one instead."""
    private = [
        f"{MODULES[module].relative_to(ROOT)}:{line} imports {source}.{name}"
        for module, imports in IMPORTS.items()
        for source, name, line in imports
        if source != module and _top(source) in PACKAGES
        and any(part.startswith("_") and not part.startswith("__")
                for part in [*source.split("."), name or ""])
    ]
    assert private == []


def test_the_rules_read_every_module():
    """The reading itself works: it finds the product's modules and their imports (a rule over
    nothing would pass whatever the code did)."""
    assert {"core.models", "accounts.api", "enlace.api"} <= MODULES.keys()
    assert ("accounts.models", "Organization") in {
        (source, name) for source, name, _line in IMPORTS["accounts.api"] + IMPORTS["core.api"]
        + IMPORTS["accounts.selectors"]}
    assert not any(_is_test(path) for path in MODULES.values())
    assert ("interop.xml", "parse") in {(s, n) for s, n, _line in IMPORTS["interop.cap"]}
    assert all(_is_pure(name) for name in ("allocation.plan", "interop.xml", "interop.cap"))


def test_every_package_is_collected_and_read_here():
    """A new app whose tests pytest never collects passes CI without running a single one."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    testpaths = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    apps = {p.parent.name for p in ROOT.glob("*/__init__.py")
            if (p.parent / "apps.py").exists() or (p.parent / "tests").is_dir()}
    assert apps - {"tests"} <= testpaths, apps - testpaths
    assert apps - {"tests"} <= set(PACKAGES), apps - set(PACKAGES)
