"""The specs are valid, every operation is served, and a built wheel carries the specs."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

from assistant_fake.core.specs import load_spec, spec_dir
from assistant_fake.vendors.telnyx import handlers as telnyx_handlers
from assistant_fake.vendors.telnyx.vendor import SPEC_FILE as TELNYX_SPEC

ROOT = Path(__file__).resolve().parents[1]
SPEC_FILES = sorted(path.name for path in (ROOT / "openapi").glob("*.yaml"))
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def operation_ids(spec: dict) -> list[str]:
    return [operation["operationId"] for item in spec["paths"].values()
            for method, operation in item.items() if method in HTTP_METHODS]


@pytest.mark.parametrize("file_name", SPEC_FILES)
def test_the_spec_is_a_valid_openapi_document(file_name: str) -> None:
    with (ROOT / "openapi" / file_name).open(encoding="utf-8") as handle:
        validate(yaml.safe_load(handle))


def test_every_telnyx_operation_id_has_a_handler() -> None:
    missing = [op_id for op_id in operation_ids(load_spec(TELNYX_SPEC))
               if not callable(getattr(telnyx_handlers, op_id, None))]
    assert missing == []


def test_telnyx_operation_ids_are_unique() -> None:
    ids = operation_ids(load_spec(TELNYX_SPEC))
    assert len(ids) == len(set(ids))


def test_spec_dir_finds_every_spec_of_the_checkout() -> None:
    found = sorted(path.name for path in spec_dir().glob("*.yaml"))
    assert found == SPEC_FILES
    assert (spec_dir() / TELNYX_SPEC).read_bytes() == (ROOT / "openapi" / TELNYX_SPEC).read_bytes()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A non-editable wheel of the project, built the way pip builds it."""
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", str(ROOT),
                    "-w", str(out)], check=True, cwd=ROOT, timeout=300)
    (built,) = out.glob("assistant_fake-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_contains_the_telnyx_spec(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        shipped = archive.read("assistant_fake/openapi/telnyx-ai-assistants.yaml")
    assert shipped == (ROOT / "openapi" / TELNYX_SPEC).read_bytes()


@pytest.mark.slow
def test_the_wheel_ships_every_spec(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {f"assistant_fake/openapi/{name}" for name in SPEC_FILES} <= names


@pytest.mark.slow
def test_an_installed_wheel_finds_its_own_specs(wheel: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(tmp_path)
    script = ("from assistant_fake.core.specs import load_spec, spec_dir; "
              f"load_spec({TELNYX_SPEC!r}); print(spec_dir())")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            env=env, cwd=tmp_path, check=True, timeout=60)
    assert Path(result.stdout.strip()) == tmp_path / "assistant_fake" / "openapi"


@pytest.mark.slow
def test_the_wheel_ships_the_sample_fixtures(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    shipped = {f"assistant_fake/fixtures/{path.relative_to(ROOT / 'fixtures').as_posix()}"
               for path in (ROOT / "fixtures").glob("*/*.json")}
    assert shipped and shipped <= names


@pytest.mark.slow
def test_the_wheel_ships_the_dashboard_files(wheel: Path) -> None:
    static = ROOT / "src" / "assistant_fake" / "admin" / "static"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert {f"assistant_fake/admin/static/{path.name}" for path in static.iterdir()} <= names
