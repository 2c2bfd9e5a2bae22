"""The dashboard, Swagger UI pages, published specs and their files, over HTTP (no browser)."""

from __future__ import annotations

import json
import re
from urllib.parse import urljoin

import pytest
import yaml

from assistant_fake.core.specs import load_spec

APIS = {"telnyx": ("telnyx-ai-assistants.yaml", "/v2"),
        "achieveapex": ("achieveapex-ai-assistants.yaml", "/"),
        "admin": ("admin.yaml", "/__fake")}
PAGES = ["/__fake/", *(f"/__fake/docs/{api}" for api in APIS)]


def referenced_urls(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', page)


def test_the_admin_root_without_a_slash_redirects_to_the_dashboard(http) -> None:
    response = http.get("/__fake", follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == "/__fake/"


def test_the_dashboard_is_an_html_page(http) -> None:
    response = http.get("/__fake/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>assistant-fake" in response.text


@pytest.mark.parametrize("page", PAGES)
def test_a_page_loads_nothing_from_outside_the_fake(http, page: str) -> None:
    urls = referenced_urls(http.get(page).text)
    assert urls
    assert [url for url in urls if re.match(r"^(https?:)?//", url)] == []


@pytest.mark.parametrize("page", PAGES)
def test_every_file_a_page_references_is_served(http, page: str) -> None:
    for url in referenced_urls(http.get(page).text):
        response = http.get(urljoin(page, url))  # resolved as the browser resolves it
        assert response.status_code == 200, url


@pytest.mark.parametrize("api", APIS)
def test_the_docs_page_of_an_api_loads_its_published_spec(http, api: str) -> None:
    page = http.get(f"/__fake/docs/{api}")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert f'data-spec-url="../specs/{api}.json"' in page.text


@pytest.mark.parametrize("api", APIS)
def test_the_published_json_spec_is_the_project_spec_with_the_fake_as_first_server(
        http, api: str) -> None:
    spec_file, base_path = APIS[api]
    response = http.get(f"/__fake/specs/{api}.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    published = response.json()
    assert published["servers"][0] == {"url": base_path, "description": "this fake"}
    original = json.loads(json.dumps(load_spec(spec_file)))
    assert {**published, "servers": original.get("servers")} == original


@pytest.mark.parametrize("api", APIS)
def test_the_published_yaml_spec_equals_the_json_one(http, api: str) -> None:
    response = http.get(f"/__fake/specs/{api}.yaml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/yaml")
    assert "&id" not in response.text  # no YAML anchors: it reads like the source file
    assert yaml.safe_load(response.text) == http.get(f"/__fake/specs/{api}.json").json()


def test_the_vendor_servers_stay_listed_after_the_fake(http) -> None:
    servers = http.get("/__fake/specs/telnyx.json").json()["servers"]
    assert [server["url"] for server in servers] == ["/v2", "https://api.telnyx.com/v2"]


@pytest.mark.parametrize("path", [
    "/__fake/docs/nope", "/__fake/specs/nope.json", "/__fake/specs/telnyx.txt",
    "/__fake/specs/telnyx", "/__fake/assets/nope.js", "/__fake/assets/ui.py",
    "/__fake/assets/.hidden.css", "/__fake/assets/..%2Fui.py", "/__fake/assets/%2E%2E",
])
def test_an_unknown_page_spec_or_file_is_a_404(http, path: str) -> None:
    response = http.get(path)
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


@pytest.mark.parametrize(("file", "media_type"), [
    ("dashboard.js", "text/javascript"), ("dashboard.css", "text/css"),
    ("swagger-ui-bundle.js", "text/javascript"), ("swagger-ui.css", "text/css"),
    ("favicon-32x32.png", "image/png"),
])
def test_an_asset_is_served_with_its_media_type(http, file: str, media_type: str) -> None:
    response = http.get(f"/__fake/assets/{file}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)


def test_an_unchanged_asset_answers_304_to_its_etag(http) -> None:
    first = http.get("/__fake/assets/dashboard.js")
    again = http.get("/__fake/assets/dashboard.js",
                     headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    assert first.headers["cache-control"] == "no-cache"


def test_the_swagger_ui_is_version_5_which_renders_openapi_3_1(http) -> None:
    bundle = http.get("/__fake/assets/swagger-ui-bundle.js").text
    assert re.search(r'PACKAGE_VERSION:"5\.\d+\.\d+"', bundle)


@pytest.mark.parametrize(("path", "body_key"), [
    ("/v2/ui/", "errors"), ("/v2/openapi.json", "errors"), ("/ui/", "name"),
    ("/openapi.json", "name")])
def test_connexions_own_ui_is_not_served_under_the_vendor_apis(http, path: str,
                                                                 body_key: str) -> None:
    response = http.get(path)
    assert response.status_code == 404
    assert body_key in response.json()  # the vendor's own 404 shape


@pytest.mark.parametrize(("old", "new"), [("/__fake/ui/", "/__fake/docs/admin"),
                                          ("/__fake/openapi.json", "/__fake/specs/admin.json")])
def test_the_old_admin_docs_urls_redirect_to_the_new_ones(http, old: str, new: str) -> None:
    response = http.get(old, follow_redirects=False)
    assert response.status_code == 308
    assert response.headers["location"] == new


def test_the_old_admin_docs_url_without_its_slash_ends_at_the_new_page(http) -> None:
    response = http.get("/__fake/ui")
    assert (response.status_code, response.url.path) == (200, "/__fake/docs/admin")
