"""The tree shows the pipeline: stage packages, small modules, imports that only go down."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "digest"
STAGES = ("gathering", "text", "summaries", "quotes", "topics", "rendering", "delivery")


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "_defaults" not in p.parts)


def imported(path: Path) -> set[str]:
    """Every module name `path` imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            # `from digest import pipeline` names the module too
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def test_no_module_is_over_400_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_at_most_12_modules_stand_directly_in_the_package():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top
    assert not [name for name in top if "eval" in name]


def test_each_stage_is_a_package_with_a_docstring():
    for stage in STAGES:
        init = PACKAGE / stage / "__init__.py"
        assert init.is_file(), stage
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), stage


def test_only_the_command_line_imports_click():
    users = {str(p.relative_to(PACKAGE)) for p in modules()
             if any(n == "click" or n.startswith("click.") for n in imported(p))}
    assert users and all(u.startswith("cli/") for u in users), sorted(users)


def test_nothing_imports_upward():
    """A stage never imports the pipeline or the command line; the core never imports the
    command line."""
    upward = []
    for path in modules():
        rel = path.relative_to(PACKAGE)
        if rel.parts[0] == "cli" or rel.name in ("__main__.py", "__init__.py") and \
                len(rel.parts) == 1:
            continue
        forbidden = ("digest.cli",) if len(rel.parts) == 1 else ("digest.cli", "digest.pipeline")
        for name in imported(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                upward.append(f"{rel}: {name}")
    assert upward == []
