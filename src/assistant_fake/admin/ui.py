"""Pages for people: the QA dashboard, Swagger UI per API, the specs and the files they load.

Everything is served by the fake itself (no CDN): the dashboard's files live in ``static/``
beside this module, Swagger UI 5's come from the ``swagger-ui-py`` package, the only one on PyPI
that ships a Swagger UI able to render OpenAPI 3.1 (Connexion's ``swagger-ui-bundle`` is 4.x).
"""

from __future__ import annotations

import functools
import html
import importlib.util
import string
from pathlib import Path

from flask import Response, redirect, send_file

from assistant_fake.admin.context import app_state
from assistant_fake.admin.published_specs import (
    ADMIN_API,
    FORMATS,
    PublishedApi,
    published_apis,
    render,
)
from assistant_fake.core.errors import VendorError
from assistant_fake.core.vendor import ADMIN_BASE_PATH

STATIC_DIR = Path(__file__).resolve().parent / "static"

# Only the Swagger UI files the docs page loads are served, not the whole package directory.
SWAGGER_UI_FILES = ("swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png")

_MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


def dashboard() -> Response:
    return send_file(STATIC_DIR / "dashboard.html", mimetype="text/html", max_age=0)


def docs(api: str) -> Response:
    target = _api(api)
    links = "\n".join(_nav_link(other, current=other == target)
                      for other in published_apis(app_state().vendors))
    page = _docs_template().substitute(title=html.escape(target.title),
                                       spec=f"../specs/{html.escape(target.name)}",
                                       links=links)
    return Response(page, mimetype="text/html")


def spec(file: str) -> Response:
    name, _, file_format = file.rpartition(".")
    if file_format not in FORMATS:
        raise _not_found()
    return Response(render(_api(name), file_format), mimetype=FORMATS[file_format])


def asset(file: str) -> Response:
    path = _asset_path(file)
    if path is None:
        raise _not_found()
    # no-cache: the browser revalidates (ETag, 304), so a new release is never served stale.
    response = send_file(path, mimetype=_MEDIA_TYPES[path.suffix], max_age=0, conditional=True)
    response.headers["Cache-Control"] = "no-cache"
    return response


def legacy_docs() -> Response:
    """Connexion's Swagger UI lived at /__fake/ui/ before: old bookmarks keep working."""
    return redirect(f"{ADMIN_BASE_PATH}/docs/{ADMIN_API}", code=308)


def legacy_spec() -> Response:
    return redirect(f"{ADMIN_BASE_PATH}/specs/{ADMIN_API}.json", code=308)


def _api(name: str) -> PublishedApi:
    for api in published_apis(app_state().vendors):
        if api.name == name:
            return api
    raise _not_found()


def _nav_link(api: PublishedApi, *, current: bool) -> str:
    marker = ' aria-current="page"' if current else ""
    return f'<a href="{html.escape(api.name)}"{marker}>{html.escape(api.title)}</a>'


def _asset_path(file: str) -> Path | None:
    if file in SWAGGER_UI_FILES:
        return swagger_ui_dir() / file
    path = STATIC_DIR / file
    # The names come from a URL: only plain file names of known types, never a path.
    if "/" in file or "\\" in file or file.startswith(".") or path.suffix not in _MEDIA_TYPES:
        return None
    return path if path.is_file() else None


@functools.cache
def swagger_ui_dir() -> Path:
    """``swagger-ui-py``'s static files, found without importing that package."""
    found = importlib.util.find_spec("swagger_ui")
    if found is None or not found.submodule_search_locations:
        raise RuntimeError("swagger-ui-py is a dependency of assistant-fake: reinstall it")
    return Path(next(iter(found.submodule_search_locations))) / "static"


@functools.cache
def _docs_template() -> string.Template:
    return string.Template((STATIC_DIR / "docs.html").read_text(encoding="utf-8"))


def _not_found() -> VendorError:
    return VendorError(404, {"detail": "Not Found"})
