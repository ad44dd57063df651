"""The shape of the code (docs/architecture.md), checked on every run.

- The dependency rule: the import-linter contracts in pyproject.toml (layers run one way, the
  packages of one layer never import each other, pure rules import neither Django nor Celery).
- Pure rule modules import in a bare interpreter: no Django settings, no Celery app.
- The package root holds project plumbing only, and no production module grows past ~500 lines.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE = [
    "cx_audit.audits.scoring",
    "cx_audit.audits.amendments",
    "cx_audit.audits.planning",
    "cx_audit.actions.rules",
    "cx_audit.reports.rules",
    "cx_audit.insights.maths",
    "cx_audit.insights.sums",
    "cx_audit.insights.regions",
    "cx_audit.core.bands",
    "cx_audit.core.charts",
    "cx_audit.voice.metrics",
    "cx_audit.voice.warnings",
    "cx_audit.voice.revenue",
    "cx_audit.voice.delta",
    "cx_audit.voice.correlation",
    "cx_audit.voice.rules",
    "cx_audit.voice.pii",
    "cx_audit.voice.language",
    "cx_audit.voice.lexicon",
    "cx_audit.voice.tagging",
    "cx_audit.voice.evaluation",
    "cx_audit.voice.charts",
    "cx_audit.voice.highlight",
]
PLUMBING = {
    "__init__.py",
    "settings.py",
    "urls.py",
    "api_urls.py",
    "wsgi.py",
    "celery.py",
    "apps.py",
    "models.py",
    "admin.py",
    "wiring.py",
}
# Data, not logic: the demo chain written out as literals.
DATA_FILES = {"cx_audit/demo/data.py"}
LIMIT = 500


def _lint_imports() -> subprocess.CompletedProcess:
    """Run import-linter on the checkout (no cache: a run must leave the checkout as it was)."""
    command = [str(Path(sys.executable).parent / "lint-imports"), "--no-cache", "--config", "pyproject.toml"]
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)


def test_every_import_contract_is_kept():
    done = _lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_layer_contract_catches_an_upward_import():
    """The contract is not vacuous: the audits layer importing a feature above it breaks it."""
    probe = ROOT / "cx_audit" / "audits" / "_upward_probe.py"
    probe.write_text("from cx_audit.insights import maths  # noqa: F401\n")
    try:
        done = _lint_imports()
    finally:
        probe.unlink()
    assert done.returncode != 0
    assert "cx_audit.audits._upward_probe -> cx_audit.insights.maths" in done.stdout


@pytest.mark.parametrize("module", PURE)
def test_pure_rules_import_without_django_settings_or_celery(module):
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        "loaded = [m for m in ('django.conf', 'celery', 'rest_framework') if m in sys.modules]\n"
        "assert not loaded, loaded\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_package_root_holds_only_project_plumbing():
    modules = {path.name for path in (ROOT / "cx_audit").glob("*.py")}
    assert modules - PLUMBING == set()


def test_no_production_module_is_over_the_limit():
    long = []
    for package in ("cx_audit", "locations", "journeys"):
        for path in (ROOT / package).rglob("*.py"):
            relative = str(path.relative_to(ROOT))
            if "/migrations/" in relative or relative in DATA_FILES:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > LIMIT:
                long.append(f"{relative}: {lines}")
    for path in (ROOT / "cx_audit" / "static").rglob("*.js"):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > LIMIT:
            long.append(f"{path.relative_to(ROOT)}: {lines}")
    assert long == []
