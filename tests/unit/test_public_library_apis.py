"""The deployables use only the public API of the libraries they depend on.

A library's underscore names (`db._firestore_api`, `from google.cloud.firestore_v1 import _helpers`,
`cli._run_worker`) change or vanish in any release without notice; code that reaches into them breaks
on an upgrade that the library itself calls compatible. This walks every module of functions/ and
agent_worker/ with `ast` and refuses:

- importing an underscore module or name from a package that is not the project's own;
- reading, writing or calling an underscore attribute (`_x`, not a dunder `__x__`) of anything that
  is not provably the project's own: `self` and `cls`, a project module, or a class or function
  defined in the same module. A parameter, a variable, a call's result or an attribute chain
  (`self.db._x`) may hold a library's object, so it counts as one; such a false positive is fixed in
  the code (give the attribute a public name), never by allowing it here.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHECKED_FOLDERS = ("functions", "agent_worker")

FIRST_PARTY = frozenset(
    {"interview_core", "api", "pipeline", "agent_worker", "main", "devstack", "bench", "tests"}
    | {p.stem for p in (REPO / "functions").iterdir() if p.suffix == ".py" or (p / "__init__.py").exists()}
)
"""The project's own top-level modules: those named in the project's rules and every module or
package at the top of functions/ (the functions' import root)."""

ALLOWED: frozenset[tuple[str, str]] = frozenset()
"""(module path, finding) pairs accepted anyway. Stays empty: a finding is fixed in the code."""

OWN_OBJECTS = frozenset({"self", "cls"})
ATTRIBUTE_BUILTINS = frozenset({"getattr", "setattr", "hasattr", "delattr"})


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def is_first_party_module(module: str | None, level: int = 0) -> bool:
    return level > 0 or (module is not None and module.split(".")[0] in FIRST_PARTY)


@dataclass(frozen=True)
class Finding:
    line: int
    what: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what}"


class PrivateUseFinder(ast.NodeVisitor):
    """Collects a module's uses of third-party underscore names (see the module docstring)."""

    def __init__(self, tree: ast.Module) -> None:
        self.findings: list[Finding] = []
        self.own_names = set(OWN_OBJECTS)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                self.own_names.add(node.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if is_first_party_module(alias.name):
                        self.own_names.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and is_first_party_module(node.module, node.level):
                self.own_names.update(alias.asname or alias.name for alias in node.names)
        self.visit(tree)

    def flag(self, node: ast.AST, what: str) -> None:
        self.findings.append(Finding(getattr(node, "lineno", 0), what))

    def is_own(self, node: ast.expr) -> bool:
        """Provably the project's own object; anything else may be a library's."""
        return isinstance(node, ast.Name) and node.id in self.own_names

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if not is_first_party_module(alias.name) and any(map(is_private, alias.name.split("."))):
                self.flag(node, f"import {alias.name}")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if is_first_party_module(node.module, node.level):
            return
        module = node.module or ""
        if any(map(is_private, module.split("."))):
            self.flag(node, f"from {module} import ...")
        for alias in node.names:
            if is_private(alias.name):
                self.flag(node, f"from {module} import {alias.name}")

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if is_private(node.attr) and not self.is_own(node.value):
            self.flag(node, f"{ast.unparse(node)}")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Name)
            and func.id in ATTRIBUTE_BUILTINS
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and is_private(node.args[1].value)
            and not self.is_own(node.args[0])
        ):
            self.flag(node, f"{ast.unparse(node)}")
        self.generic_visit(node)


def findings_in(source: str) -> list[str]:
    return [str(f) for f in PrivateUseFinder(ast.parse(source)).findings]


def modules(folder: str) -> list[Path]:
    return sorted(p for p in (REPO / folder).rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("folder", CHECKED_FOLDERS)
def test_no_module_uses_a_librarys_private_names(folder: str) -> None:
    paths = modules(folder)
    assert paths, f"no modules found under {folder}/"
    found = []
    for path in paths:
        relative = str(path.relative_to(REPO))
        for finding in PrivateUseFinder(ast.parse(path.read_text(), filename=relative)).findings:
            if (relative, finding.what) not in ALLOWED:
                found.append(f"{relative}:{finding}")
    assert not found, "private library APIs used:\n" + "\n".join(found)


def test_nothing_is_allowed_anyway() -> None:
    assert not ALLOWED


# -- the checker catches what it must, and lets the project's own names be ------------------------
@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from google.cloud.firestore_v1 import _helpers", "from google.cloud.firestore_v1 import _helpers"),
        ("from livekit.agents.cli.cli import _run_worker", "from livekit.agents.cli.cli import _run_worker"),
        ("import a._b", "import a._b"),
        ("import a._b as c", "import a._b"),
        ("from a._b import c", "from a._b import ..."),
        ("from google.cloud import firestore\nfirestore._x", "firestore._x"),
        ("from livekit.agents import cli\ncli._run_worker(opts)", "cli._run_worker"),
        ("def f(self):\n    return self.db._firestore_api.get_document()", "self.db._firestore_api"),
        ("def f(self):\n    return self.db._rpc_metadata", "self.db._rpc_metadata"),
        ("def f(ref):\n    return ref._document_path", "ref._document_path"),
        ("import requests\nrequests.get(url)._content", "requests.get(url)._content"),
        ("def f(db):\n    db.collection('x')._path = 1", "db.collection('x')._path"),
        ("import jwt\ngetattr(jwt, '_secret')", "getattr(jwt, '_secret')"),
        ("from flask import Flask\napp = Flask('x')\napp._got_first_request", "app._got_first_request"),
    ],
)
def test_the_checker_catches(source: str, expected: str) -> None:
    found = findings_in(source)
    assert len(found) == 1, found
    assert found[0].endswith(expected)


@pytest.mark.parametrize(
    "source",
    [
        "class A:\n    def f(self):\n        return self._cache, type(self).__name__",
        "class A:\n    @classmethod\n    def f(cls):\n        return cls._registry",
        "from interview_core.adapters import firestore_store\nfirestore_store._decide",
        "from interview_core.adapters.firestore_store import _decide",
        "from .clients import _private\nfrom . import _sibling",
        "import interview_core._x\nimport api._y",
        "class Local:\n    _hidden = 1\nLocal._hidden",
        "def helper():\n    pass\nhelper._marker = True",
        "import functools\nfunctools.cache.__wrapped__",
        "from google.cloud import firestore\nfirestore.Client().collection('x').document('y').get()",
        "from __future__ import annotations",
    ],
)
def test_the_checker_lets_the_projects_own_and_public_names_be(source: str) -> None:
    assert findings_in(source) == []


def test_every_top_level_module_of_functions_is_first_party() -> None:
    assert {"interview_core", "api", "pipeline", "main", "http_boundary"} <= FIRST_PARTY
    assert "google" not in FIRST_PARTY
    assert "livekit" not in FIRST_PARTY
