"""How the code is layered: domains depend one way, core/ knows no domain, libraries only by their public API."""

import ast
from collections import defaultdict
from pathlib import Path

APP = Path(__file__).parents[1] / "app"
# Packages of app/ that are not domains: shared plumbing and the modules that wire the domains together.
NOT_DOMAINS = {"core", "templates", "static"}
DOMAINS = {path.name for path in APP.iterdir() if path.is_dir() and (path / "__init__.py").exists()} - NOT_DOMAINS


def _imports_of(path: Path) -> set[str]:
    """Every app.* module *path* imports, at module level or inside a function."""
    package = ".".join(("app", *path.relative_to(APP).parent.parts))
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parent + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("app.")}


def _top(module: str) -> str:
    return module.split(".")[1]


def _domain_graph() -> dict[str, set[str]]:
    graph = defaultdict(set)
    for path in APP.rglob("*.py"):
        parts = path.relative_to(APP).parts
        if len(parts) < 2 or parts[0] not in DOMAINS:
            continue
        for module in _imports_of(path):
            target = _top(module)
            if target in DOMAINS and target != parts[0]:
                graph[parts[0]].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    cycles, path = [], []

    def visit(node, on_path):
        if node in on_path:
            cycles.append([*path[path.index(node) :], node])
            return
        on_path.add(node)
        path.append(node)
        for target in sorted(graph.get(node, ())):
            visit(target, on_path)
        path.pop()
        on_path.discard(node)

    for start in sorted(graph):
        visit(start, set())
    return cycles


def test_no_domain_package_depends_on_another_that_depends_back_on_it():
    assert _cycles(_domain_graph()) == []


def test_core_imports_no_domain():
    offending = {
        f"{path.relative_to(APP.parent)} imports {module}"
        for path in (APP / "core").rglob("*.py")
        for module in _imports_of(path)
        if _top(module) in DOMAINS
    }
    assert offending == set()


def test_the_cycle_check_sees_imports_made_inside_functions():
    graph = {"accounts": {"organisations"}, "organisations": {"accounts"}}
    assert _cycles(graph)
    tree = "def late():\n    from app.learning import services\n"
    assert any(isinstance(node, ast.ImportFrom) and node.module == "app.learning" for node in ast.walk(ast.parse(tree)))


def _private_names_of_our_own() -> set[str]:
    """Every _name that app/ itself defines: functions, classes, attributes and variables."""
    names = set()
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[-1])
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("_"):
                names.add(node.value)  # __slots__ entries
    return {name for name in names if name.startswith("_")}


def test_no_library_object_is_reached_through_a_private_name():
    ours = _private_names_of_our_own()
    offending = []
    for path in APP.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if not isinstance(node, ast.Attribute) or not node.attr.startswith("_"):
                continue
            if node.attr.startswith("__") and node.attr.endswith("__"):
                continue  # dunder protocol names are public
            if node.attr not in ours or "__" in node.attr.lstrip("_"):
                offending.append(f"{path.relative_to(APP.parent)}:{node.lineno} .{node.attr}")
    assert offending == []
