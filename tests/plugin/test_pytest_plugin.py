"""The pytest plugin (``assistant_fake.pytest_plugin``), exercised the way users meet it: small
test files run by pytest in a subprocess (``pytester``), the plugin loaded through its
``pytest11`` entry point. The tests inside those files are the specification (one behaviour
each); an outer test runs one such file per way of starting the fake and checks that every
inner test passed (pytest prints the inner output when one did not)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from assistant_fake.server import free_port, running_server
from assistant_fake.settings import Settings

QUIET = ("-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest")

EVERY_API_ANSWERS = """
import threading

def test_telnyx_answers_at_its_base_url(fake_telnyx_client, fake_telnyx_url):
    created = fake_telnyx_client.post("/ai/assistants", json={"name": "A", "instructions": "x"})
    assert created.status_code == 200
    assert fake_telnyx_url.endswith("/v2")

def test_achieveapex_answers_with_the_tests_own_organisation(fake_achieveapex_client):
    assert fake_achieveapex_client.get("/organizations").json()["total"] == 1

def test_the_admin_api_answers(fake_admin):
    assert fake_admin.health()["status"] == "ok"

def test_canned_chat_replies_are_answered(fake_admin, fake_telnyx_client, fake_telnyx_key):
    assistant = fake_telnyx_client.post(
        "/ai/assistants", json={"name": "A", "instructions": "x"}).json()
    fake_admin.queue_chat_replies(assistant["id"], ["Canned."], key=fake_telnyx_key)
    reply = fake_telnyx_client.post(f"/ai/assistants/{assistant['id']}/chat",
                                    json={"content": "hi", "conversation_id": "c"})
    assert reply.json() == {"content": "Canned."}

def test_a_manual_test_run_is_advanced_by_hand(fake_admin, fake_telnyx_client, fake_telnyx_key):
    fake_admin.set_lifecycle(test_runs={"policy": "manual"}, key=fake_telnyx_key)
    test = fake_telnyx_client.post("/ai/assistants/tests", json={
        "name": "T", "destination": "+13125550100", "instructions": "x",
        "rubric": [{"name": "r", "criteria": "c"}]}).json()
    run = fake_telnyx_client.post(f"/ai/assistants/tests/{test['test_id']}/runs").json()
    assert fake_admin.advance_test_run(run["run_id"], "failed")["status"] == "failed"

def test_an_after_seconds_event_follows_the_fake_clock(fake_admin, fake_clock, fake_telnyx_client,
                                                      fake_telnyx_key):
    fake_admin.set_lifecycle(scheduled_events={"policy": "after_seconds", "seconds": 600},
                             key=fake_telnyx_key)
    assistant = fake_telnyx_client.post(
        "/ai/assistants", json={"name": "A", "instructions": "x"}).json()
    path = f"/ai/assistants/{assistant['id']}/scheduled_events"
    event = fake_telnyx_client.post(path, json={
        "telnyx_conversation_channel": "sms_chat", "text": "Hi", "telnyx_agent_target": "+1312",
        "telnyx_end_user_target": "+1313",
        "scheduled_at_fixed_datetime": "2030-01-01T09:00:00Z"}).json()
    fake_clock.advance(600)
    read = fake_telnyx_client.get(f"{path}/{event['scheduled_event_id']}").json()
    assert read["status"] == "completed"

def test_a_fault_for_the_test_id_hits_this_tests_clients(fake_admin, fake_test_id,
                                                       fake_telnyx_client):
    fake_admin.add_fault({"status": 503}, match={"test_id": fake_test_id}, count=1)
    assert fake_telnyx_client.get("/ai/assistants").status_code == 503
    assert fake_telnyx_client.get("/ai/assistants").status_code == 200
    assert [entry["status"] for entry in fake_admin.journal(test_id=fake_test_id)] == [200, 503]

def test_the_test_id_names_the_test(fake_test_id):
    assert fake_test_id.endswith("test_suite.py::test_the_test_id_names_the_test")

seen = {}

def test_first_of_two_creates_an_assistant(fake_telnyx_client, fake_telnyx_key,
                                           fake_achieveapex_key, fake_admin, fake_test_id):
    fake_telnyx_client.post("/ai/assistants", json={"name": "A", "instructions": "x"})
    fake_admin.add_fault({"status": 500}, match={"test_id": fake_test_id})
    seen.update(telnyx=fake_telnyx_key, achieveapex=fake_achieveapex_key, test_id=fake_test_id)

def test_second_of_two_has_keys_of_its_own(fake_telnyx_key, fake_achieveapex_key):
    assert fake_telnyx_key != seen["telnyx"]
    assert fake_achieveapex_key != seen["achieveapex"]

def test_the_first_tests_account_was_reset_after_it(fake_http):
    listed = fake_http.get("/v2/ai/assistants",
                           headers={"Authorization": "Bearer " + seen["telnyx"]})
    assert listed.json() == {"data": []}

def test_the_first_tests_faults_were_removed_after_it(fake_admin):
    assert fake_admin.faults(test_id=seen["test_id"]) == []
"""
INNER_TESTS = EVERY_API_ANSWERS.count("\ndef test_")


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_suite=source)
    return pytester.runpytest_subprocess(*QUIET, "-p", "no:randomly", *args, timeout=180)


def test_importing_the_plugin_imports_neither_the_fake_nor_httpx():
    code = ("import sys, assistant_fake.pytest_plugin; "
            "print(sorted(m for m in ('connexion', 'httpx', 'assistant_fake.app') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == "[]"


def test_the_plugin_is_loaded_through_its_entry_point(pytestconfig):
    assert pytestconfig.pluginmanager.has_plugin("assistant_fake")


def test_a_suite_that_uses_no_fixture_starts_no_fake(pytester):
    result = run(pytester, """
import sys, threading

def test_nothing_started():
    assert "assistant_fake.app" not in sys.modules
    assert not [t for t in threading.enumerate() if t.name == "assistant-fake"]
""")
    result.assert_outcomes(passed=1)


def test_port_mode_serves_on_a_real_port_that_the_telnyx_sdk_reaches(pytester):
    result = run(pytester, EVERY_API_ANSWERS + """
import telnyx

def test_the_fake_listens_on_localhost(fake_telnyx_url, assistant_fake_server):
    assert fake_telnyx_url.startswith("http://127.0.0.1:")
    assert assistant_fake_server.mode == "port"

def test_the_readmes_example(fake_telnyx_key, fake_telnyx_url, fake_admin):
    fake_admin.set_lifecycle(test_runs={"policy": "immediate", "outcome": "failed"},
                             key=fake_telnyx_key)
    client = telnyx.Telnyx(api_key=fake_telnyx_key, base_url=fake_telnyx_url, max_retries=0)
    test = client.ai.assistants.tests.create(
        name="Greets", destination="+13125550100", instructions="Say hello.",
        rubric=[{"name": "greeting", "criteria": "Greets the caller."}])
    run = client.ai.assistants.tests.runs.trigger(test.test_id)
    assert run.status == "failed"
""")
    result.assert_outcomes(passed=INNER_TESTS + 2)


def test_asgi_mode_serves_in_process_without_a_socket(pytester):
    result = run(pytester, EVERY_API_ANSWERS + """
def test_no_server_thread_runs(assistant_fake_server):
    assert assistant_fake_server.url == "http://assistant-fake.test"
    assert not [t for t in threading.enumerate() if t.name == "assistant-fake"]

def test_the_telnyx_sdk_works_through_fake_http(fake_telnyx_key, fake_telnyx_url, fake_http):
    import telnyx

    client = telnyx.Telnyx(api_key=fake_telnyx_key, base_url=fake_telnyx_url,
                           http_client=fake_http, max_retries=0)
    assistant = client.ai.assistants.create(name="Support", instructions="Help.")
    assert client.ai.assistants.retrieve(assistant.id).name == "Support"
""", "--assistant-fake-mode=asgi")
    result.assert_outcomes(passed=INNER_TESTS + 2)


def test_the_ini_file_sets_the_mode_and_a_fixtures_dir_relative_to_itself(pytester):
    pytester.makeini("[pytest]\nassistant_fake_mode = asgi\nassistant_fake_fixtures = fx\n")
    (pytester.path / "fx" / "telnyx").mkdir(parents=True)
    (pytester.path / "fx" / "telnyx" / "desk.json").write_text(json.dumps(
        {"api_key": "fixture-key", "assistants": [{"name": "Desk", "instructions": "Help."}]}))
    result = run(pytester, """
def test_in_process_with_the_fixtures_loaded(assistant_fake_server, fake_http):
    assert assistant_fake_server.mode == "asgi"
    listed = fake_http.get("/v2/ai/assistants", headers={"Authorization": "Bearer fixture-key"})
    assert [assistant["name"] for assistant in listed.json()["data"]] == ["Desk"]
""")
    result.assert_outcomes(passed=1)


def test_an_unknown_mode_in_the_ini_file_is_a_usage_error(pytester):
    pytester.makeini("[pytest]\nassistant_fake_mode = docker\n")
    result = run(pytester, "def test_x(assistant_fake_server):\n    pass\n")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*assistant_fake_mode must be one of*"])


def test_url_mode_uses_a_fake_that_already_runs_with_its_admin_token(pytester):
    settings = Settings(port=free_port(), admin_token="s3cret")
    with running_server(settings) as url:
        result = run(pytester, EVERY_API_ANSWERS + f"""
def test_it_is_that_fake(assistant_fake_server):
    assert assistant_fake_server.url == {url!r}
""", f"--assistant-fake-url={url}", "--assistant-fake-admin-token=s3cret")
    result.assert_outcomes(passed=INNER_TESTS + 1)


def test_a_fake_that_never_answers_fails_after_the_start_timeout(pytester):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = run(pytester, "def test_x(assistant_fake_server):\n    pass\n",
                 f"--assistant-fake-url={url}", "--assistant-fake-start-timeout=0")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([f"*no assistant-fake answers at {url}*"])


def test_each_xdist_worker_runs_its_own_fake(pytester):
    record = pytester.path / "seen.jsonl"
    result = run(pytester, f"""
import json, os, pytest

@pytest.mark.parametrize("n", range(6))
def test_record(n, fake_telnyx_url, fake_telnyx_client, fake_telnyx_key):
    assert fake_telnyx_client.get("/ai/assistants").json() == {{"data": []}}
    with open({str(record)!r}, "a") as out:
        out.write(json.dumps([os.environ["PYTEST_XDIST_WORKER"], fake_telnyx_url,
                              fake_telnyx_key]) + "\\n")
""", "-n", "2")
    result.assert_outcomes(passed=6)
    rows = [json.loads(line) for line in record.read_text().splitlines()]
    urls = {worker: {url for w, url, _ in rows if w == worker} for worker, _, _ in rows}
    assert set(urls) == {"gw0", "gw1"}
    assert all(len(seen) == 1 for seen in urls.values())
    assert urls["gw0"] != urls["gw1"]
    assert len({key for _, _, key in rows}) == 6
    assert all(key.startswith(f"fake-telnyx-{worker}-") for worker, _, key in rows)
