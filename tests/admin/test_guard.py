"""Who may use the admin API: loopback only, unless --admin-token is set, then its holders."""

from __future__ import annotations

import pytest
from starlette.websockets import WebSocketDisconnect

from assistant_fake.settings import Settings

REMOTE = ("10.0.0.5", 40000)
TOKEN = "s3cret-admin-token"


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_loopback_clients_may_use_the_admin_api(make_fake, address):
    fake = make_fake(client=(address, 40000))
    assert fake.admin("GET", "/health").status_code == 200


@pytest.mark.parametrize("address", ["10.0.0.5", "192.168.1.20", "::ffff:10.0.0.5", "2001:db8::1",
                                     "testclient"])
def test_other_clients_get_403_without_an_admin_token(make_fake, address):
    response = make_fake(client=(address, 40000)).admin("POST", "/reset")
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/json"
    assert "loopback" in response.json()["detail"]


def test_a_refused_reset_changes_nothing(make_fake, key):
    local = make_fake()
    remote = type(local)(local.app, REMOTE)
    local.telnyx_assistant(key)
    assert remote.admin("POST", "/reset").status_code == 403
    assert len(local.telnyx_names(key)) == 1


@pytest.mark.parametrize("path", ["/", "/docs/admin", "/specs/admin.json"])
def test_the_dashboard_and_docs_are_loopback_only_too(make_fake, path):
    assert make_fake(client=REMOTE).admin("GET", path).status_code == 403


def test_the_vendor_apis_answer_any_client(make_fake, key):
    remote = make_fake(client=REMOTE)
    assert remote.telnyx(key, "GET", "/ai/assistants").status_code == 200
    assert remote.apex(key, "GET", "/ai-assistants").status_code == 200


@pytest.fixture
def guarded(make_fake):
    return lambda client: make_fake(Settings(admin_token=TOKEN), client=client)


@pytest.mark.parametrize("headers", [{"Authorization": f"Bearer {TOKEN}"},
                                     {"authorization": f"bearer {TOKEN}"},
                                     {"X-Fake-Admin-Token": TOKEN}])
def test_with_a_token_any_client_sending_it_may_use_the_admin_api(guarded, headers):
    assert guarded(REMOTE).admin("GET", "/health", headers=headers).status_code == 200


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"},
                                     {"Authorization": TOKEN}, {"X-Fake-Admin-Token": ""},
                                     {"Authorization": f"Basic {TOKEN}"}])
def test_with_a_token_a_request_without_it_gets_401(guarded, headers):
    response = guarded(REMOTE).admin("POST", "/reset", headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.json() == {"detail": "The admin API needs the admin token."}


def test_with_a_token_loopback_clients_need_it_too(guarded):
    assert guarded(("127.0.0.1", 1)).admin("GET", "/health").status_code == 401


@pytest.mark.parametrize(("path", "status"), [
    ("/", 200), ("", 308), ("/docs/admin", 200), ("/specs/telnyx.yaml", 200),
    ("/assets/dashboard.js", 200), ("/assets/swagger-ui-bundle.js", 200), ("/ui/", 308),
    ("/openapi.json", 308)])
def test_with_a_token_the_dashboard_and_docs_open_without_it_so_a_browser_can_authorise(
        guarded, path, status):
    response = guarded(REMOTE).client.get(f"/__fake{path}", follow_redirects=False)
    assert response.status_code == status


def test_with_a_token_the_vendor_apis_need_no_admin_token(guarded, key):
    assert guarded(REMOTE).telnyx(key, "GET", "/ai/assistants").status_code == 200


def test_a_websocket_to_the_admin_area_from_elsewhere_is_refused(make_fake):
    remote = make_fake(client=REMOTE)
    with pytest.raises(WebSocketDisconnect) as refused, \
            remote.client.websocket_connect("/__fake/health"):
        pass
    assert refused.value.code == 1008
