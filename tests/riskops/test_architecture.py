"""The floors (README: Architecture) hold: lint-imports keeps every contract of pyproject.toml,
and breaks them when a package imports from a floor above it or reaches into incidents' services."""

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["type"]: contract["name"] for contract in CONFIG["contracts"]}


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).with_name("lint-imports")), "--no-cache"]
    env = {**os.environ, "COLUMNS": "200"}  # one line per contract, however long its name
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


def test_every_contract_is_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(CONTRACTS)} kept, 0 broken" in result.stdout


def only_python(directory: str, names: list[str]) -> list[str]:
    return [name for name in names if not (name.endswith(".py") or Path(directory, name).is_dir())]


def test_an_import_from_a_floor_above_or_into_incidents_services_breaks_a_contract(tmp_path):
    for package in CONFIG["root_packages"]:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=only_python)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "core" / "upstairs.py").write_text("from incidents import services\n")
    (tmp_path / "reviews" / "backstairs.py").write_text("from incidents.services import locking\n")

    result = lint_imports(tmp_path)

    assert result.returncode != 0
    assert f"{CONTRACTS['layers']} BROKEN" in result.stdout
    assert "core.upstairs -> incidents.services" in result.stdout
    assert f"{CONTRACTS['protected']} BROKEN" in result.stdout
    assert "reviews.backstairs -> incidents.services.locking" in result.stdout
    assert "2 broken" in result.stdout
