"""The import-linter contract in pyproject.toml keeps the apps in their layers."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
APPS = [
    "config",
    "demo",
    "reports",
    "training",
    "assistance",
    "teams",
    "households",
    "areas",
    "accounts",
    "core",
]

pytestmark = pytest.mark.skipif(
    not LINT_IMPORTS.exists(), reason="import-linter is a dev dependency"
)


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    # The command puts its working directory first on the import path, so a
    # tree of stand-in apps in a temporary directory hides the real ones.
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo", CONTRACT],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def stand_in_apps(tmp_path: Path, edges: list[tuple[str, str]]) -> Path:
    """Packages named like the apps, holding one module for each end of each
    (importer, imported) edge."""
    for app in APPS:
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
    for importer, imported in edges:
        for module in (importer, imported):
            (tmp_path / (module.replace(".", "/") + ".py")).touch()
        with open(tmp_path / (importer.replace(".", "/") + ".py"), "a") as module:
            module.write(f"import {imported}\n")
    return tmp_path


# The contract names the sideways edge, and import-linter fails on a named
# import that matches nothing, so every stand-in tree carries it.
SIDEWAYS = [("training.models", "assistance.models")]


def test_the_apps_keep_their_layers():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_imports_down_the_layers_are_allowed(tmp_path):
    edges = [
        *SIDEWAYS,
        ("config.urls", "reports.models"),
        ("demo.seed", "reports.models"),
        ("reports.models", "training.models"),
        ("reports.models", "households.models"),
        ("assistance.models", "teams.models"),
        ("households.models", "areas.models"),
        ("areas.models", "accounts.models"),
        ("accounts.models", "core.text"),
    ]
    result = lint_imports(stand_in_apps(tmp_path, edges))
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("core.text", "accounts.models"),  # the base imports an app
        ("accounts.scope", "areas.models"),  # identity imports the registry
        ("households.models", "teams.models"),  # siblings
        ("assistance.services", "training.models"),  # the reverse of the one edge
        ("training.models2", "reports.models"),  # upwards
        ("reports.tasks", "demo.seed"),  # nothing imports demo
        ("config.urls", "demo.seed"),  # not even config
    ],
)
def test_an_import_against_the_flow_breaks_the_contract(tmp_path, importer, imported):
    edges = [*SIDEWAYS, (importer, imported)]
    result = lint_imports(stand_in_apps(tmp_path, edges))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "BROKEN" in result.stdout
    assert f"{importer} -> {imported}" in result.stdout
