"""Which environment variables each deployable reads, derived from the code instead of kept by hand.

- Names: the pydantic-settings classes themselves (`Settings` of functions/interview_core/settings.py,
  `AgentSettings` of agent_worker/config.py): a field's validation alias, else its name upper-cased.
- Reads: a deployable reads a field when the code it runs accesses it. From the deployable's entry
  modules, every repository module it imports (transitively, at any depth, lazy imports included) is
  walked with ast, and every `.name` attribute access or `getattr(x, "name")` whose name is a field
  counts. A property of a settings class (`effective_gemini_api_key`) counts as the fields its body
  reads. The settings modules themselves are not walked: their validators touch every field.
- Required in production: a field the deployable reads whose value, in a production process given
  nothing but ENVIRONMENT=production, is still the local stack's (an address on 127.0.0.1, a `demo-`
  project, a local secret), or is one of PRODUCTION_NEEDS below (settings that are None or a local
  mode by default and that production refuses or cannot work without).

tests/infra/test_settings_terraform.py compares these with what Terraform sets.
"""

from __future__ import annotations

import ast
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from pydantic_settings import BaseSettings

REPO = Path(__file__).resolve().parents[2]
FUNCTIONS = REPO / "functions"

# Where each deployable starts. The functions share functions/main.py, whose module level imports the
# api's routes for all three; what a function *runs* starts at its own handler module, so each function
# is rooted there (plus main.py's module level, which every instance executes).
ENTRY_MODULES: dict[str, tuple[str, ...]] = {
    "api": ("main!", "api.routes"),
    "evaluate": ("main!", "pipeline.evaluate", "pipeline.webhook_delivery"),
    "sweep": ("main!", "pipeline.sweep"),
    # __main__ hands the worker to livekit-agents' command line by the path of app.py, which builds
    # the server: both are roots, as the import between them is not a Python import.
    "agent": ("agent_worker.__main__", "agent_worker.app"),
}
"""A trailing "!" means: that module's own statements without its imports (main.py imports the api's
routes for the api function and each other handler lazily inside its function; the roots say which)."""

SETTINGS_MODULES = {"interview_core.settings", "agent_worker.config"}

# Settings that are None, or a local mode, by default and that production needs set, with why. The rule
# above finds every other one (local addresses, demo names, local secrets) by itself.
PRODUCTION_NEEDS: dict[str, str] = {
    "environment": "defaults to local: emulators, the local issuer and local secrets would be accepted",
    "webhook_auth": "defaults to hmac with the local secret, which production refuses",
    "gemini_api_key": "None means the local Gemini emulator; production refuses to run without a key",
    "webhook_oidc_audience": "the OIDC webhook verifier refuses every call without its audience",
    "agent_service_account": "the OIDC webhook verifier refuses every call without the agent's account",
    "sweep_oidc_audience": "the sweep's OIDC verifier refuses every call without its audience",
    "scheduler_service_account": "the sweep's OIDC verifier refuses every call without the account",
}

# Settings whose local-stack default production never uses, with why.
LOCAL_ONLY: dict[str, str] = {
    "gemini_emulator_tls_url": "read only without GEMINI_API_KEY, to reach the local Gemini emulator",
    "webhook_secret": "the HMAC stand-in for OIDC; production authenticates with OIDC (WEBHOOK_AUTH=oidc)",
}

_LOCAL_SECRETS = {"", "secret", "local-webhook-secret", "devkey", "local-emulator-key"}


@dataclass(frozen=True)
class Field:
    cls: str
    name: str
    env: str


def settings_classes() -> dict[str, type[BaseSettings]]:
    from agent_worker.config import AgentSettings
    from interview_core.settings import Settings

    return {"Settings": Settings, "AgentSettings": AgentSettings}


def classes_of(deployable: str) -> tuple[str, ...]:
    return ("Settings", "AgentSettings") if deployable == "agent" else ("Settings",)


@cache
def fields() -> dict[str, Field]:
    """Field name => Field, over both classes (their names do not overlap: checked by a test)."""
    found: dict[str, Field] = {}
    for cls_name, cls in settings_classes().items():
        for name, info in cls.model_fields.items():
            alias = info.validation_alias
            env = alias if isinstance(alias, str) else name.upper()
            found[name] = Field(cls_name, name, env)
    return found


def env_names(deployable: str) -> set[str]:
    """Every variable the settings classes a deployable loads can read."""
    return {f.env for f in fields().values() if f.cls in classes_of(deployable)}


# --- What the code reads ----------------------------------------------------------------------------


def module_path(module: str) -> Path | None:
    for base in (FUNCTIONS, REPO):
        parts = module.split(".")
        for candidate in (base.joinpath(*parts).with_suffix(".py"), base.joinpath(*parts, "__init__.py")):
            if candidate.is_file():
                return candidate
    return None


def _imports(tree: ast.AST, module: str) -> Iterator[str]:
    package = module.rsplit(".", 1)[0] if "." in module else ""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            yield base
            for alias in node.names:
                yield f"{base}.{alias.name}"


def _top_level_only(tree: ast.Module) -> ast.Module:
    """The module's statements without its imports (for the "!" entries)."""
    body = [node for node in tree.body if not isinstance(node, ast.Import | ast.ImportFrom)]
    return ast.Module(body=body, type_ignores=[])


def reachable_modules(roots: Iterable[str]) -> dict[str, ast.AST]:
    """Repository modules reachable from the roots, with their parsed trees."""
    seen: dict[str, ast.AST] = {}
    pending = list(roots)
    while pending:
        name = pending.pop()
        shallow = name.endswith("!")
        name = name.rstrip("!")
        if name in seen:
            continue
        path = module_path(name)
        if path is None:
            continue  # a library, or a name imported from a module (handled through its module)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        seen[name] = _top_level_only(tree) if shallow else tree
        if not shallow:
            pending.extend(_imports(tree, name))
    return seen


def _accessed_names(tree: ast.AST) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            names.add(node.attr)
        elif isinstance(node, ast.Call):
            # getattr(settings, "name") and settings.secret("name"): a field named by a string argument.
            names |= {
                arg.value for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)
            }
    return names


@cache
def properties() -> dict[str, set[str]]:
    """Settings property or method name => the field names its body reads, through other properties too
    (effective_gemini_base_url reads gemini_api_key through uses_local_gemini)."""
    bodies: dict[str, set[str]] = {}
    for module in SETTINGS_MODULES:
        path = module_path(module)
        assert path is not None, module
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
            for item in cls.body:
                if isinstance(item, ast.FunctionDef) and not item.name.startswith("_"):
                    bodies[item.name] = _accessed_names(item)
    field_names = set(fields())

    def closure(name: str, seen: frozenset[str]) -> set[str]:
        reads = bodies[name] & field_names
        for other in (bodies[name] & set(bodies)) - seen:
            reads |= closure(other, seen | {other})
        return reads

    return {name: closure(name, frozenset({name})) for name in bodies}


@cache
def fields_read(deployable: str) -> frozenset[str]:
    """Field names the deployable's code reads (see the module docstring)."""
    modules = reachable_modules(ENTRY_MODULES[deployable])
    accessed: set[str] = set()
    for name, tree in modules.items():
        if name not in SETTINGS_MODULES:
            accessed |= _accessed_names(tree)
    wanted = {f.name for f in fields().values() if f.cls in classes_of(deployable)}
    read = accessed & wanted
    for prop, used in properties().items():
        if prop in accessed:
            read |= used & wanted
    return frozenset(read)


def env_read(deployable: str) -> set[str]:
    return {fields()[name].env for name in fields_read(deployable)}


# --- What production needs ----------------------------------------------------------------------------


def _is_local(value: Any) -> bool:
    if isinstance(value, SecretStr):
        return value.get_secret_value() in _LOCAL_SECRETS
    if isinstance(value, Path):
        return False
    if isinstance(value, str):
        return (
            "127.0.0.1" in value
            or "localhost" in value
            or value.startswith("demo-")
            or "@demo-" in value
            or value in _LOCAL_SECRETS
        )
    return False


@cache
def production_defaults() -> dict[str, Any]:
    """Each field's value in a production process that is given only ENVIRONMENT=production."""
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ["ENVIRONMENT"] = "production"
        values: dict[str, Any] = {}
        for cls in settings_classes().values():
            instance = cls(_env_file=None)  # type: ignore[call-arg]
            values.update({name: getattr(instance, name) for name in cls.model_fields})
        return values
    finally:
        os.environ.clear()
        os.environ.update(saved)


def required_in_production(deployable: str) -> set[str]:
    defaults = production_defaults()
    required = {
        name
        for name in fields_read(deployable)
        if (_is_local(defaults[name]) and name not in LOCAL_ONLY) or name in PRODUCTION_NEEDS
    }
    return {fields()[name].env for name in required}
