"""The backend's modules import each other without cycles, and so do its subpackages.

A cycle is how a layer starts depending on the layer above it (the store on the read model,
the document types on the sync protocol); it then shows up as an ImportError only when some
entry point happens to import the modules in the wrong order. Lazy imports inside functions
count too: they postpone a cycle, they do not remove it.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import backend

ROOT = Path(backend.__file__).parent


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in ROOT.rglob("*.py")}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The backend modules `path` names in an import statement (a name imported from a
    package counts as its submodule when it is one)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
    return {name for name in found if name in modules and name != "backend"}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(path, modules) - {name} for name, path in modules.items()}


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle of the graph as a path, or None (depth-first search, iterative colouring)."""
    state: dict[str, int] = {}
    for start in sorted(graph):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(graph[start])))]
        path, state[start] = [start], 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return [*path[path.index(child):], child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(graph.get(child, ())))))
    return None


def _package_of(module: str) -> str | None:
    """`backend.sync.http.routes` -> `sync`; a module directly under backend has none."""
    parts = module.split(".")
    if len(parts) > 2 or (len(parts) == 2 and (ROOT / parts[1]).is_dir()):
        return parts[1]
    return None


def test_backend_modules_import_without_cycles():
    assert _cycle(_graph()) is None


def test_backend_subpackages_import_without_cycles():
    packages: dict[str, set[str]] = defaultdict(set)
    for module, imported in _graph().items():
        source = _package_of(module)
        for target in imported:
            if source and _package_of(target) not in (None, source):
                packages[source].add(_package_of(target))
    assert _cycle(dict(packages)) is None


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None
