"""What the import contracts (pyproject.toml, `lint-imports`) cannot tell: that accounts
uses the office model only as a type. The contracts count type-only imports as arrows and
let accounts' imports of mandates.models through; this test makes sure that every one of
them sits under `if TYPE_CHECKING:`, so that at run time accounts imports no domain app."""

import ast
from pathlib import Path

ACCOUNTS = Path(__file__).resolve().parent.parent / "peacebuild" / "accounts"
OWN = ("peacebuild.accounts", "peacebuild.lib")


def _runtime_imports(tree: ast.AST) -> list[str]:
    """Modules imported outside `if TYPE_CHECKING:` blocks."""
    found: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING"):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def test_accounts_imports_no_domain_app_at_run_time():
    offending = {
        str(path.relative_to(ACCOUNTS)): module
        for path in ACCOUNTS.rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ACCOUNTS).parts)
        for module in _runtime_imports(ast.parse(path.read_text("utf-8")))
        if module.startswith("peacebuild.") and not module.startswith(OWN)
    }
    assert offending == {}


def test_the_check_sees_a_runtime_import_and_lets_a_type_only_one_pass():
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from peacebuild.mandates.models import Office\n"
        "def f():\n    from peacebuild.activities.models import Activity\n"
    )
    assert _runtime_imports(ast.parse(source)) == ["typing", "peacebuild.activities.models"]
