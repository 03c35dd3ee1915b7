"""The architecture, checked statically: every import of every module (inside functions too).

Layers, lowest first; a module may import its own layer and lower ones only:

    tianbao.resources < tianbao.domain < db < tianbao.services < tianbao.excel, tianbao.pdf
    < tianbao.cli < desktop

``tianbao.plantext`` (reading a plan's published text) and the safe reading of untrusted spreadsheets
(``tianbao.excel.safety``, ``.read``, ``.sandbox``, ``.biff``, ``.untrusted``, ``.xmlscan``) stand on the domain alone. ``tianbao.excel`` and
``tianbao.pdf`` are siblings and do not import each other. Qt (PySide6) is imported in ``desktop`` only.
No two modules import each other, directly or round a longer loop.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("tianbao", "db", "desktop")

RANK = {
    "tianbao": 0,  # the package itself: __version__
    "tianbao.resources": 0,
    "tianbao.domain": 1,
    "tianbao.plantext": 2,
    "db": 2,
    # Reading untrusted spreadsheets safely stands on the domain alone, so services (unit lists,
    # duties sheets) may read files with it; the rest of tianbao.excel sits above the services.
    "tianbao.excel.safety": 2,
    "tianbao.excel.read": 2,
    "tianbao.excel.sandbox": 2,
    "tianbao.excel.biff": 2,
    "tianbao.excel.untrusted": 2,
    "tianbao.excel.xmlscan": 2,
    "tianbao.services": 3,
    "tianbao.excel": 4,
    "tianbao.pdf": 4,
    "tianbao.cli": 5,
    "desktop": 6,
}
# Sibling layers of one rank that must not import each other.
APART = {
    ("tianbao.excel", "tianbao.pdf"),
    ("tianbao.pdf", "tianbao.excel"),
    ("tianbao.plantext", "db"),
    ("db", "tianbao.plantext"),
}


def layer(module: str) -> str:
    best = ""
    for name in RANK:
        if (module == name or module.startswith(name + ".")) and len(name) > len(best):
            best = name
    return best


def module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules() -> dict[str, Path]:
    found = {}
    for pkg in PACKAGES:
        for path in (REPO / pkg).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found[module_name(path)] = path
    return found


def imports_of(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every module this file imports, at any depth of the code (resolved to project modules)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # ``from pkg import mod`` imports the module, not the package's own code.
            subs = [f"{node.module}.{a.name}" for a in node.names]
            names = subs if all(n in modules for n in subs) else [node.module, *subs]
        for name in names:
            top = name.split(".")[0]
            if top == "PySide6" or top == "shiboken6":
                out.add("PySide6")
            elif name in modules:
                out.add(name)
    return out


def graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {m: imports_of(p, modules) - {m} for m, p in modules.items()}


def test_qt_only_in_desktop():
    bad = sorted(m for m, deps in graph().items() if "PySide6" in deps and layer(m) != "desktop")
    assert not bad, f"PySide6 imported outside desktop/: {bad}"


def test_lower_layers_never_import_higher_ones():
    bad = []
    for m, deps in graph().items():
        here = layer(m)
        assert here, f"{m} belongs to no layer: add it to RANK"
        for d in deps - {"PySide6"}:
            there = layer(d)
            if RANK[there] > RANK[here] or (here, there) in APART:
                bad.append(f"{m} -> {d}")
    assert not bad, "imports against the layers:\n" + "\n".join(sorted(bad))


def test_no_import_cycles():
    g = {m: {d for d in deps if d != "PySide6"} for m, deps in graph().items()}
    # Tarjan's strongly connected components.
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(g):
        if v not in index:
            visit(v)
    assert not cycles, f"import cycles: {cycles}"


def test_the_checker_sees_imports_inside_functions(tmp_path):
    """The walk is not fooled by a deferred import (the way the old Qt leaks hid)."""
    f = tmp_path / "m.py"
    f.write_text("def later():\n    from PySide6 import QtCore\n    import desktop.app\n")
    assert imports_of(f, {"desktop.app": f}) == {"PySide6", "desktop.app"}
