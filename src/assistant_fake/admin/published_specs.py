"""The OpenAPI 3.1 specs as the fake publishes them, for Swagger UI and for download.

Each is the project's spec (the file users read) with ``servers`` led by the fake's own base
path. The URL is relative to the host the spec was fetched from, so Swagger UI's "Try it out"
calls the fake that served the page, whatever host and port it listens on.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from typing import Any

import yaml

from assistant_fake.core.specs import load_spec
from assistant_fake.core.vendor import ADMIN_BASE_PATH

ADMIN_API = "admin"
FORMATS = {"json": "application/json", "yaml": "application/yaml"}

_YAML_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@dataclass(frozen=True)
class PublishedApi:
    """One API the fake serves: its URL name, spec file and base path."""

    name: str
    spec_file: str
    base_path: str

    @property
    def title(self) -> str:
        return str(load_spec(self.spec_file).get("info", {}).get("title", self.name))


def published_apis(vendors: list[Any]) -> list[PublishedApi]:
    """The vendors in serving order, then the admin API."""
    apis = [PublishedApi(v.name, v.spec_file, v.base_path) for v in vendors]
    apis.append(PublishedApi(ADMIN_API, "admin.yaml", ADMIN_BASE_PATH))
    return apis


def published_spec(api: PublishedApi) -> dict[str, Any]:
    """The spec with the fake's server first; the vendor's own servers stay listed after it."""
    spec = load_spec(api.spec_file)
    fake = {"url": api.base_path or "/", "description": "this fake"}
    others = [s for s in spec.get("servers", []) if s.get("url") != fake["url"]]
    return {**spec, "servers": [fake, *others]}


@functools.cache
def render(api: PublishedApi, file_format: str) -> bytes:
    """The published spec serialised once per process (the Telnyx spec is ~140 kB of YAML)."""
    spec = published_spec(api)
    if file_format == "json":
        return json.dumps(spec, ensure_ascii=False, indent=2).encode("utf-8")
    return yaml.dump(spec, Dumper=_NoAliasDumper, sort_keys=False, allow_unicode=True,
                     width=100).encode("utf-8")


class _NoAliasDumper(_YAML_DUMPER):  # type: ignore[misc, valid-type]
    """Repeats shared objects instead of writing ``&id001`` anchors, like the source file."""

    def ignore_aliases(self, data: Any) -> bool:
        return True
