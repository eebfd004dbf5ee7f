"""The package's layers: kg/ imports read top-down, with no circle.

Every import counts — at module level, inside functions, and under ``TYPE_CHECKING`` — so a feature that
reaches back into the ``KnowledgeGraph`` facade (``from .knowledge import KnowledgeGraph``) is a circle.
"""
from __future__ import annotations

import ast
from pathlib import Path

KG = Path(__file__).resolve().parent.parent / "kg"


ROOT = "policykg"  # kg/__init__.py: the package itself


def _module_name(path: Path) -> str:
    parts = [p for p in path.relative_to(KG).with_suffix("").parts if p != "__init__"]
    return ".".join(parts) or ROOT


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The kg/ modules ``path`` imports: ``from .x import``, ``from . import x``, ``import policykg.x``
    (``from policykg import open``: the package itself)."""
    here = _module_name(path)
    package = [] if here == ROOT else here.split(".")[:-1] if path.name != "__init__.py" else here.split(".")
    found: set[str] = set()

    def add(module: list[str], names: list[str]) -> None:
        base = ".".join(module) or ROOT
        for name in names:  # ``from pkg import submodule`` imports the submodule, else the module itself
            found.add(f"{base}.{name}" if base != ROOT and f"{base}.{name}" in modules
                      else name if base == ROOT and name in modules else base)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names = [a.name for a in node.names]
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                add([*base, *(node.module.split(".") if node.module else [])], names)
            elif node.module == ROOT or (node.module or "").startswith(ROOT + "."):
                add(node.module.split(".")[1:], names)
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == ROOT or a.name.startswith(ROOT + "."):
                    found.add(".".join(a.name.split(".")[1:]) or ROOT)
    return found


def _graph() -> dict[str, set[str]]:
    """kg/'s modules → the kg/ modules each imports (other packages, e.g. policykg.corpus, left out)."""
    paths = {_module_name(p): p for p in KG.rglob("*.py")}
    return {name: {m for m in _imports(path, set(paths)) if m in paths and m != name}
            for name, path in paths.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle in ``graph`` as the list of modules along it, or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None
    for start in sorted(graph):
        if start not in state and (found := visit(start)):
            return found
    return None


def test_the_walker_sees_function_level_and_absolute_imports():
    graph = _graph()
    assert "store" in graph["remote"]            # from .store import … at module level
    assert "errors" in graph["web.app"]          # from policykg.errors import … inside a function
    assert "conditions" in graph["extract"]      # from . import conditions
    assert "knowledge" in graph[ROOT]            # from .knowledge import KnowledgeGraph inside open()
    assert _cycle({"a": {"b"}, "b": {"a"}}) == ["a", "b", "a"]


def test_kg_has_no_import_circle():
    cycle = _cycle(_graph())
    assert cycle is None, "import circle in kg/: " + " → ".join(cycle or [])


def test_nothing_below_the_facade_imports_knowledge_graph():
    importers = sorted(m for m, deps in _graph().items() if "knowledge" in deps)
    # the package root (policykg.open) and the web application are above the facade; nothing else
    assert importers == [ROOT, "web.app", "web.pages"], importers
