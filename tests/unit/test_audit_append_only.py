"""The audit log is append-only in the code too (the security rules refuse every client write, see
tests/rules): only the workspace store names the audit collection, and nothing there updates, sets
or deletes a document reached through it; entries are only ever created."""

from __future__ import annotations

import ast
from pathlib import Path

FUNCTIONS = Path(__file__).resolve().parents[2] / "functions"
STORE = FUNCTIONS / "interview_core" / "adapters" / "workspace_store.py"
CHANGING = {"update", "set", "delete", "recursive_delete"}


def _mentions_audit(node: ast.AST, tainted: set[str]) -> bool:
    for child in ast.walk(node):
        if isinstance(child, ast.Name) and (child.id == "AUDIT" or child.id in tainted):
            return True
        if isinstance(child, ast.Attribute) and child.attr in ("audit_collection", "_audit_ref"):
            return True
    return False


def audit_writes_other_than_create(source: str) -> list[int]:
    """Line numbers of update/set/delete calls on a reference reached through the audit collection."""
    offending = []
    for function in (n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.FunctionDef)):
        tainted: set[str] = set()
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and _mentions_audit(node.value, tainted):
                tainted |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        for node in ast.walk(function):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in CHANGING:
                continue
            target = node.args[0] if node.args else node.func.value
            if _mentions_audit(target, tainted) or _mentions_audit(node.func.value, tainted):
                offending.append(node.lineno)
    return offending


def test_only_the_workspace_store_reaches_the_audit_collection() -> None:
    for path in FUNCTIONS.rglob("*.py"):
        if path == STORE or "test" in path.name:
            continue
        text = path.read_text(encoding="utf-8")
        assert "collection(AUDIT" not in text, path
        assert '"audit")' not in text, path
        assert "audit_collection" not in text, path


def test_the_workspace_store_only_creates_audit_entries() -> None:
    source = STORE.read_text(encoding="utf-8")
    assert audit_writes_other_than_create(source) == []
    assert ".create(" in source


def test_the_check_catches_an_edit_or_a_delete() -> None:
    edits = """
def f(self, transaction, wid):
    transaction.update(self.audit_collection(wid).document("x"), {"action": "none"})

def g(self, wid):
    ref = self.audit_collection(wid).document("x")
    ref.delete()

def h(self, transaction, wid):
    transaction.create(self.audit_collection(wid).document(), {})
"""
    assert audit_writes_other_than_create(edits) == [3, 7]
