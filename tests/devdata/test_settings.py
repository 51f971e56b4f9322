"""devdata (the demo, the county-scale generator, the benchmark) is development and test only.

Production settings do not install it, and no shipped module imports it, nor ``unittest.mock`` (the demo used to
patch ``timezone.now`` process-wide with it), nor time-machine (the production image does not install it).
"""

import ast
import json
import os
import subprocess
import sys
import tomllib

import pytest

from ecfs.settings.base import BASE_DIR


def _shipped_packages() -> list[str]:
    """The top-level packages pyproject.toml ships (``[tool.setuptools.packages.find] include``)."""
    with open(BASE_DIR / "pyproject.toml", "rb") as handle:
        include = tomllib.load(handle)["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted({pattern.rstrip("*").rstrip(".") for pattern in include})


SHIPPED_PACKAGES = _shipped_packages()
# Modules a shipped module must not import (nor anything under them).
FORBIDDEN = ("devdata", "unittest.mock", "mock", "time_machine")
REAL_KEY = "k3v9-" + "x" * 60


def _installed_apps(settings_module: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    environment.update(DJANGO_SETTINGS_MODULE=settings_module, SECRET_KEY=REAL_KEY, ALLOWED_HOSTS="ecfs.example.org")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json; from django.conf import settings; print(json.dumps(list(settings.INSTALLED_APPS)))",
        ],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_do_not_install_devdata():
    apps = _installed_apps("ecfs.settings.production")
    assert "ecfs" in apps  # the settings did load
    assert not [app for app in apps if app == "devdata" or app.startswith("devdata.")]


@pytest.mark.parametrize("settings_module", ["ecfs.settings.local", "ecfs.settings.test"])
def test_local_and_test_settings_install_devdata(settings_module):
    assert "devdata" in _installed_apps(settings_module)


def _forbidden(name: str) -> bool:
    return any(name == module or name.startswith(f"{module}.") for module in FORBIDDEN)


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    """Every module an import statement names: ``from unittest import mock`` names ``unittest.mock`` too."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def test_devdata_is_not_a_shipped_package():
    assert "devdata" not in SHIPPED_PACKAGES
    assert {"ecfs", "bases", "families", "referrals", "venues", "support_fund", "reporting", "imports"} <= set(
        SHIPPED_PACKAGES
    )


def test_no_shipped_module_imports_devdata_or_mock():
    checked = 0
    offending = []
    for package in SHIPPED_PACKAGES:
        for path in sorted((BASE_DIR / package).rglob("*.py")):
            if "migrations" in path.relative_to(BASE_DIR).parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            checked += 1
            offending += [
                f"{path.relative_to(BASE_DIR)}:{line} imports {name}"
                for line, name in _imports(tree)
                if _forbidden(name)
            ]
    assert checked > 100  # the walk found the code
    assert not offending, "\n".join(offending)
