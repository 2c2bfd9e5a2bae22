"""Swagger UI in a real headless chromium: every operation listed, "Try it out" calls the fake."""

from __future__ import annotations

import pytest

from assistant_fake.core.specs import load_spec

pytestmark = pytest.mark.browser

SPECS = {"telnyx": "telnyx-ai-assistants.yaml", "achieveapex": "achieveapex-ai-assistants.yaml",
         "admin": "admin.yaml"}
HTTP_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def operation_count(spec_file: str) -> int:
    return sum(1 for item in load_spec(spec_file)["paths"].values()
               for method in item if method in HTTP_METHODS)


def operations(browser):
    from selenium.webdriver.common.by import By

    return browser.find_elements(By.CSS_SELECTOR, ".opblock")


def open_operation(browser, wait, method: str, path: str):
    """Expands the operation and answers its block."""
    from selenium.webdriver.common.by import By

    xpath = (f"//div[contains(concat(' ', @class, ' '), ' opblock-{method.lower()} ')]"
             f"[.//*[@data-path='{path}']]")
    block = wait(lambda _: browser.find_element(By.XPATH, xpath))
    block.find_element(By.CSS_SELECTOR, ".opblock-summary-control").click()
    return block


def execute(browser, wait, block) -> str:
    """Try it out, Execute: answers the response body Swagger UI shows."""
    from selenium.webdriver.common.by import By

    wait(lambda _: block.find_element(By.CSS_SELECTOR, ".try-out__btn")).click()
    wait(lambda _: block.find_element(By.CSS_SELECTOR, ".execute")).click()
    response = ".live-responses-table tr.response"
    status = wait(lambda _: block.find_element(By.CSS_SELECTOR, f"{response} .response-col_status"))
    body = block.find_element(By.CSS_SELECTOR, f"{response} .response-col_description pre")
    return f"{status.text} {body.text}"


@pytest.mark.parametrize("api", SPECS)
def test_the_swagger_ui_page_lists_every_operation_of_the_api(browser, wait, fake,
                                                              api: str) -> None:
    browser.get(f"{fake}/__fake/docs/{api}")
    expected = operation_count(SPECS[api])
    wait(lambda _: len(operations(browser)) == expected)
    title = load_spec(SPECS[api])["info"]["title"]
    assert title in browser.title


def test_the_servers_list_offers_the_fake_first(browser, wait, fake) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get(f"{fake}/__fake/docs/telnyx")
    servers = wait(lambda _: browser.find_element(By.CSS_SELECTOR, ".servers select"))
    assert Select(servers).first_selected_option.get_attribute("value") == "/v2"


def test_try_it_out_calls_the_fake_that_served_the_page(browser, wait, fake) -> None:
    browser.get(f"{fake}/__fake/docs/admin")
    block = open_operation(browser, wait, "GET", "/health")
    assert execute(browser, wait, block).startswith('200 {\n  "status": "ok"')


def test_try_it_out_with_an_authorized_key_gets_the_fakes_answer(browser, wait, fake) -> None:
    from selenium.webdriver.common.by import By

    browser.get(f"{fake}/__fake/docs/telnyx")
    wait(lambda _: browser.find_element(By.CSS_SELECTOR, ".auth-wrapper .authorize")).click()
    wait(lambda _: browser.find_element(By.ID, "auth-bearer-value")).send_keys("swagger-key")
    browser.find_element(By.CSS_SELECTOR, ".auth-btn-wrapper .modal-btn.authorize").click()
    browser.find_element(By.CSS_SELECTOR, ".auth-btn-wrapper .btn-done").click()
    block = open_operation(browser, wait, "GET", "/ai/assistants/tags")
    assert execute(browser, wait, block) == '200 {\n  "tags": []\n}'
