"""The QA dashboard in a real headless chromium, against a real fake on a free port.

Data is created through the vendor APIs, exactly as a client under test would, and every
expectation about what the page shows is checked against the admin API's own answer.
"""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest

from assistant_fake.core.tenants import tenant_id
from assistant_fake.server import free_port, running_server
from assistant_fake.settings import Settings

pytestmark = pytest.mark.browser

TELNYX_KEY = "qa-telnyx-key"
APEX_KEY = "qa-achieveapex-key"


def create_telnyx_assistant(client: httpx.Client, key: str = TELNYX_KEY) -> None:
    response = client.post("/v2/ai/assistants", headers={"Authorization": f"Bearer {key}"},
                           json={"name": "Support", "instructions": "Help the caller."})
    assert response.status_code == 200


def create_apex_assistant(client: httpx.Client, key: str = APEX_KEY) -> None:
    headers = {"x-api-key": key}
    organization = client.get("/organizations", headers=headers).json()["data"][0]["id"]
    response = client.post("/ai-assistants", headers=headers, json={
        "organization_id": organization, "name": "Support", "assistant_type": "conversation",
        "ai_model_id": 1})
    assert response.status_code == 201


def open_dashboard(browser, wait, fake: str) -> None:
    browser.get(f"{fake}/__fake/")
    wait(lambda _: all(section_state(browser, s) not in ("loading", None)
                       for s in ("tenants", "journal", "faults")))


def section_state(browser, section: str) -> str | None:
    from selenium.webdriver.common.by import By

    return browser.find_element(By.ID, section).get_attribute("data-state")


def rows(browser, section: str) -> list:
    from selenium.webdriver.common.by import By

    # the journal's hidden exchange rows are details of the row above them, not rows of their own
    return browser.find_elements(By.CSS_SELECTOR, f"#{section} tbody tr:not(.exchange)")


def cells(row) -> list[str]:
    from selenium.webdriver.common.by import By

    return [cell.text for cell in row.find_elements(By.TAG_NAME, "td")]


def click(browser, element_id: str) -> None:
    from selenium.webdriver.common.by import By

    browser.find_element(By.ID, element_id).click()


def tenant_row(browser, api: str, tenant: str):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.CSS_SELECTOR,
                                f'#tenants tr[data-api="{api}"][data-tenant="{tenant}"]')


def test_the_tenants_table_shows_each_tenant_with_its_record_counts(browser, wait, fake,
                                                                    client) -> None:
    create_telnyx_assistant(client)
    create_apex_assistant(client)
    open_dashboard(browser, wait, fake)
    assert section_state(browser, "tenants") == "ready"
    for tenant in client.get("/__fake/tenants").json()["tenants"]:
        row = tenant_row(browser, tenant["api"], tenant["tenant"])
        api, shown_tenant, records, total, _ = cells(row)
        assert (api, shown_tenant) == (tenant["api"], tenant["tenant"])
        assert records.splitlines() == [f"{name}: {count}"
                                        for name, count in tenant["records"].items()]
        assert int(total) == sum(tenant["records"].values())
    assert tenant_row(browser, "telnyx", tenant_id(TELNYX_KEY))
    assert tenant_row(browser, "achieveapex", tenant_id(APEX_KEY))


def test_the_journal_shows_recent_requests_newest_first(browser, wait, fake, client) -> None:
    create_telnyx_assistant(client)
    client.get("/v2/ai/assistants/assistant-missing",
               headers={"Authorization": f"Bearer {TELNYX_KEY}"})
    open_dashboard(browser, wait, fake)
    newest, oldest = rows(browser, "journal")
    time, api, method, path, status, operation, tenant, duration, _ = cells(newest)
    assert (api, method, path, status) == ("telnyx", "GET", "/v2/ai/assistants/assistant-missing",
                                           "404")
    assert operation and tenant == tenant_id(TELNYX_KEY)
    assert float(duration) >= 0 and time
    assert cells(oldest)[2:5] == ["POST", "/v2/ai/assistants", "200"]


def test_the_journal_highlights_errors_and_unmatched_requests(browser, wait, fake,
                                                              client) -> None:
    create_telnyx_assistant(client)
    client.post("/v2/ai/assistants", headers={"Authorization": f"Bearer {TELNYX_KEY}"}, json={})
    client.get("/v2/no-such-route", headers={"Authorization": f"Bearer {TELNYX_KEY}"})
    open_dashboard(browser, wait, fake)
    unmatched, invalid, created = rows(browser, "journal")
    assert set(unmatched.get_attribute("class").split()) == {"entry", "status-4xx", "unmatched"}
    assert "unmatched" in cells(unmatched)[5]
    assert invalid.get_attribute("class").split() == ["entry", "status-4xx"]
    assert created.get_attribute("class").split() == ["entry"]


def test_view_shows_an_entrys_exchange_without_the_key(browser, wait, fake, client) -> None:
    from selenium.webdriver.common.by import By

    create_telnyx_assistant(client)
    open_dashboard(browser, wait, fake)
    (row,) = rows(browser, "journal")
    row.find_element(By.XPATH, ".//button[text()='view']").click()
    exchange = browser.find_element(By.CSS_SELECTOR, "#journal tr.exchange")
    wait(lambda _: exchange.is_displayed())
    assert '"instructions": "Help the caller."' in exchange.text
    assert '"id": "assistant-' in exchange.text  # the response body
    assert TELNYX_KEY not in exchange.text


def test_clear_journal_empties_the_journal(browser, wait, fake, client) -> None:
    create_telnyx_assistant(client)
    open_dashboard(browser, wait, fake)
    assert len(rows(browser, "journal")) == 1
    click(browser, "clear-journal")
    wait(lambda _: not rows(browser, "journal"))
    assert client.get("/__fake/journal").json()["total"] == 0


def test_the_api_filter_shows_only_that_apis_requests(browser, wait, fake, client) -> None:
    from selenium.webdriver.support.ui import Select

    create_telnyx_assistant(client)
    create_apex_assistant(client)
    open_dashboard(browser, wait, fake)
    Select(browser.find_element("id", "filter-api")).select_by_value("achieveapex")
    wait(lambda _: {cells(row)[1] for row in rows(browser, "journal")} == {"achieveapex"})


def test_the_status_filter_shows_only_that_class_of_answers(browser, wait, fake,
                                                            client) -> None:
    from selenium.webdriver.support.ui import Select

    create_telnyx_assistant(client)
    client.post("/v2/ai/assistants", headers={"Authorization": f"Bearer {TELNYX_KEY}"}, json={})
    open_dashboard(browser, wait, fake)
    Select(browser.find_element("id", "filter-status")).select_by_value("4xx")
    wait(lambda _: [cells(row)[4] for row in rows(browser, "journal")] == ["422"])


def test_show_requests_narrows_the_journal_to_that_tenant(browser, wait, fake, client) -> None:
    from selenium.webdriver.common.by import By

    create_telnyx_assistant(client, "qa-first")
    create_telnyx_assistant(client, "qa-second")
    open_dashboard(browser, wait, fake)
    row = tenant_row(browser, "telnyx", tenant_id("qa-first"))
    row.find_element(By.XPATH, ".//button[text()='Show requests']").click()
    wait(lambda _: [cells(row)[6] for row in rows(browser, "journal")] == [tenant_id("qa-first")])


def test_resetting_a_tenant_removes_only_its_data(browser, wait, fake, client) -> None:
    from selenium.webdriver.common.by import By

    create_telnyx_assistant(client, "qa-first")
    create_telnyx_assistant(client, "qa-second")
    open_dashboard(browser, wait, fake)
    row = tenant_row(browser, "telnyx", tenant_id("qa-first"))
    row.find_element(By.XPATH, ".//button[text()='Reset']").click()
    wait(lambda _: not browser.find_elements(
        By.CSS_SELECTOR, f'#tenants tr[data-tenant="{tenant_id("qa-first")}"]'))
    assert tenant_row(browser, "telnyx", tenant_id("qa-second"))
    listed = client.get("/v2/ai/assistants", headers={"Authorization": "Bearer qa-first"})
    assert listed.json()["data"] == []


def test_reset_everything_leaves_no_tenant(browser, wait, fake, client) -> None:
    create_telnyx_assistant(client)
    create_apex_assistant(client)
    open_dashboard(browser, wait, fake)
    click(browser, "reset-all")
    wait(lambda _: not rows(browser, "tenants"))
    assert client.get("/__fake/tenants").json()["tenants"] == []


def test_an_active_fault_is_listed_and_can_be_removed(browser, wait, fake, client) -> None:
    from selenium.webdriver.common.by import By

    fault = client.post("/__fake/faults", json={
        "match": {"api": "telnyx", "path": "/v2/ai/assistants"},
        "action": {"status": 503}, "count": 2}).json()
    open_dashboard(browser, wait, fake)
    (row,) = rows(browser, "faults")
    shown_id, match, action, count, probability, hits, _ = cells(row)
    assert (shown_id, count, probability, hits) == (fault["id"], "2", "1", "0")
    assert '"path":"/v2/ai/assistants"' in match and action == '{"status":503}'
    row.find_element(By.XPATH, ".//button[text()='Remove']").click()
    wait(lambda _: not rows(browser, "faults"))
    assert client.get("/__fake/faults").json()["faults"] == []


def test_the_dashboard_screenshot_is_a_picture_of_the_page(browser, wait, fake, client,
                                                           screenshots: Path) -> None:
    from PIL import Image

    create_telnyx_assistant(client)
    create_apex_assistant(client)
    client.get("/v2/no-such-route", headers={"Authorization": f"Bearer {TELNYX_KEY}"})
    open_dashboard(browser, wait, fake)
    path = screenshots / "dashboard.png"
    assert browser.save_screenshot(str(path))
    image = Image.open(io.BytesIO(path.read_bytes()))
    image.load()  # decodes every pixel: a truncated or corrupt PNG fails here
    assert image.format == "PNG" and image.width >= 800 and image.height >= 600
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 50  # text, header, highlights: not blank
    dominant = max(count for count, _ in colours)
    assert dominant < 0.95 * image.width * image.height


def test_a_fake_with_an_admin_token_asks_for_it_then_shows_its_data(browser, wait) -> None:
    from selenium.webdriver.common.by import By

    with running_server(Settings(port=free_port(), admin_token="qa-admin-token")) as url:
        browser.get(f"{url}/__fake/")
        wait(lambda _: section_state(browser, "tenants") == "locked")
        browser.find_element(By.ID, "admin-token").send_keys("qa-admin-token")
        browser.find_element(By.CSS_SELECTOR, "#token-form button").click()
        wait(lambda _: section_state(browser, "tenants") == "ready")
        assert not browser.find_element(By.ID, "token-form").is_displayed()
