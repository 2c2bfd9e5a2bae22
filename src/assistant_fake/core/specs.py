"""Where the OpenAPI documents are, and loading them (once)."""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def spec_dir() -> Path:
    """The specs shipped in the installed package, or the checkout's ``openapi/`` in development."""
    for candidate in (_PACKAGE_DIR / "openapi", _PACKAGE_DIR.parent.parent / "openapi"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the OpenAPI specs are neither installed nor in a checkout")


def spec_path(file_name: str) -> Path:
    return spec_dir() / file_name


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml is 10x faster


@functools.cache
def load_spec(file_name: str) -> dict[str, Any]:
    """The parsed spec, shared by every caller: treat it as read-only."""
    with spec_path(file_name).open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_YAML_LOADER)


_HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def routing_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The part of a spec Connexion needs to route: paths, methods, operationIds, path params.

    Connexion 3 only loads OpenAPI 3.0 documents, and here it only routes (the gateway does
    validation and errors), so it gets this 3.0 view of our 3.1 specs.
    """
    paths: dict[str, Any] = {}
    for path, item in spec.get("paths", {}).items():
        shared = [p for p in item.get("parameters", []) if p.get("in") == "path"]
        routed: dict[str, Any] = {}
        for method in _HTTP_METHODS:
            if method not in item:
                continue
            own = [p for p in item[method].get("parameters", []) if p.get("in") == "path"]
            names = {p["name"] for p in shared + own}
            routed[method] = {
                "operationId": item[method]["operationId"],
                "parameters": [{"name": n, "in": "path", "required": True,
                                "schema": {"type": "string"}} for n in sorted(names)],
                "responses": {"default": {"description": "See the vendor spec."}},
            }
        paths[path] = routed
    return {"openapi": "3.0.3", "info": dict(spec.get("info", {"title": "", "version": ""})),
            "paths": paths}


@functools.cache
def _path_patterns(file_name: str) -> list[tuple[re.Pattern[str], list[str]]]:
    patterns = []
    for template, item in load_spec(file_name).get("paths", {}).items():
        regex = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        methods = [m.upper() for m in _HTTP_METHODS if m in item]
        patterns.append((re.compile(f"^{regex}$"), methods))
    return patterns


def allowed_methods(file_name: str, path: str) -> list[str]:
    """Every method the spec routes for ``path`` (relative to the API's base path)."""
    allowed: list[str] = []
    for pattern, methods in _path_patterns(file_name):
        if pattern.match(path):
            allowed += [m for m in methods if m not in allowed]
    return allowed
