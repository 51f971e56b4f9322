"""The layers between the apps (pyproject.toml [tool.importlinter]) hold: `make lint` and CI check them too."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_import_linter_contract_is_kept():
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([lint_imports, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    assert "Contracts: 5 kept" in result.stdout


def _python_lines(package: str) -> int:
    files = [p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts]
    return sum(len(p.read_text(encoding="utf-8").splitlines()) for p in files)


def test_the_kernel_is_under_a_quarter_of_the_code():
    """Shipped and development code, tests and migrations aside: ecfs/ is the kernel, not the demo's home."""
    packages = [
        p.name
        for p in ROOT.iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name not in {"tests", "node_modules"}
    ]
    total = sum(_python_lines(p) for p in packages)
    assert "ecfs" in packages and "devdata" in packages
    assert _python_lines("ecfs") < total / 4, f"ecfs has {_python_lines('ecfs')} of {total} lines"
