"""The bad-input catalogue: hostile requests against both APIs, on a real port.

Each case goes through uvicorn's own HTTP parser (not an in-process client), so its limits are
exercised too. Every case is answered with a 4xx in the vendor's own error shape (Telnyx:
FastAPI's ``{"detail"}`` or the gateway's ``errors[]`` envelope; AchieveApex: a Feathers error
whose ``code`` is the status), and the server keeps serving: a normal request right after it
still answers 200. The README's Reliability section lists the same catalogue.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx
import pytest

from assistant_fake.server import free_port, running_server
from assistant_fake.settings import Settings

KEY = "bad-input-catalogue-key"
DEEP_ARRAY = b"[" * 1000 + b"]" * 1000
DEEP_OBJECT = b'{"a":' * 1000 + b"1" + b"}" * 1000
TEN_MB = b'{"name": "' + b"x" * (10 * 1024 * 1024) + b'"}'
MANY_PARAMS = "&".join(["a=1"] * 10_000)  # 40 KB: under httpx's URL limit
MANY_HEADERS = [(f"x-flood-{i}", "v") for i in range(10_000)]
JSON = {"content-type": "application/json"}


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: bytes

    def json(self):
        return json.loads(self.body)


@dataclass(frozen=True)
class Api:
    name: str
    base: str  # prefix of every path
    auth: dict[str, str]
    collection: str  # a list operation (GET) and a create operation (POST)

    def path(self, suffix: str = "") -> str:
        return self.base + self.collection + suffix


TELNYX = Api("telnyx", "/v2", {"authorization": f"Bearer {KEY}"}, "/ai/assistants")
APEX = Api("achieveapex", "", {"x-api-key": KEY}, "/ai-assistants")


def send(url: str, method: str, target: str, headers=(), body: bytes = b"") -> Answer:
    """A request through httpx (it refuses to build some of the catalogue: see ``send_raw``)."""
    with httpx.Client(base_url=url, timeout=30) as client:
        response = client.request(method, target, headers=list(headers), content=body)
    return Answer(response.status_code, response.headers.get("content-type", ""),
                  response.content)


def send_raw(url: str, request_line_target: bytes, headers: dict[str, str],
             more_headers: list[tuple[str, str]] | None = None) -> Answer:
    """A GET written byte for byte: raw non-ASCII bytes, URLs over httpx's 64 KiB limit, and
    header floods (httpx takes seconds to build 10,000 headers)."""
    parts = urlsplit(url)
    head = b"GET " + request_line_target + b" HTTP/1.1\r\nhost: fake\r\nconnection: close\r\n"
    fields = [*headers.items(), *(more_headers or [])]
    head += b"".join(f"{k}: {v}\r\n".encode() for k, v in fields) + b"\r\n"
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    status_line, _, rest = received.partition(b"\r\n")
    header_block, _, body = rest.partition(b"\r\n\r\n")
    fields = dict(line.split(b": ", 1) for line in header_block.split(b"\r\n"))
    return Answer(int(status_line.split(b" ")[1]),
                  fields.get(b"content-type", b"").decode(), body)


# --- the catalogue ----------------------------------------------------------------------------

Request = Callable[[str, Api], Answer]


def invalid_json(url: str, api: Api) -> Answer:
    return send(url, "POST", api.path(), {**api.auth, **JSON}.items(), b'{"name": bad}')


def wrong_content_type(url: str, api: Api) -> Answer:
    headers = {**api.auth, "content-type": "text/plain"}
    return send(url, "POST", api.path(), headers.items(), b'{"name": "Bot"}')


def ten_megabyte_body(url: str, api: Api) -> Answer:
    return send(url, "POST", api.path(), {**api.auth, **JSON}.items(), TEN_MB)


def ten_megabyte_chunked_body(url: str, api: Api) -> Answer:
    """No Content-Length: the limit holds on the bytes as they stream in."""
    chunks = (TEN_MB[i:i + 65536] for i in range(0, len(TEN_MB), 65536))
    with httpx.Client(base_url=url, timeout=30) as client:
        response = client.post(api.path(), headers={**api.auth, **JSON}, content=chunks)
    return Answer(response.status_code, response.headers.get("content-type", ""),
                  response.content)


def unknown_method(url: str, api: Api) -> Answer:
    return send(url, "BREW", api.path(), api.auth.items())


def deep_array(url: str, api: Api) -> Answer:
    return send(url, "POST", api.path(), {**api.auth, **JSON}.items(), DEEP_ARRAY)


def deep_object(url: str, api: Api) -> Answer:
    return send(url, "POST", api.path(), {**api.auth, **JSON}.items(), DEEP_OBJECT)


def invalid_utf8_body(url: str, api: Api) -> Answer:
    return send(url, "POST", api.path(), {**api.auth, **JSON}.items(), b"\xff\xfe\xfd")


def invalid_utf8_in_path(url: str, api: Api) -> Answer:
    return send(url, "GET", api.path("/%ff%fe"), api.auth.items())


def raw_non_ascii_in_path(url: str, api: Api) -> Answer:
    return send_raw(url, api.path("/").encode() + b"\xff\xfe", api.auth)


def invalid_utf8_in_query(url: str, api: Api) -> Answer:
    # A parameter the operation validates: Telnyx's page number, Feathers' $limit.
    target = ("/v2/ai/assistants/deleted?page[number]=%ff" if api is TELNYX
              else api.path("?$limit=%ff"))
    return send(url, "GET", target, api.auth.items())


def raw_non_ascii_in_query(url: str, api: Api) -> Answer:
    return send_raw(url, api.path("?name=").encode() + b"\xff", api.auth)


def dot_dot_slash_id(url: str, api: Api) -> Answer:
    return send_raw(url, api.path("/../../etc/passwd").encode(), api.auth)


def encoded_dot_dot_slash_id(url: str, api: Api) -> Answer:
    return send(url, "GET", api.path("/%2e%2e%2fetc%2fpasswd"), api.auth.items())


def nul_id(url: str, api: Api) -> Answer:
    return send(url, "GET", api.path("/%00"), api.auth.items())


def ten_thousand_query_parameters(url: str, api: Api) -> Answer:
    return send(url, "GET", api.path("?" + MANY_PARAMS), api.auth.items())


def long_url(url: str, api: Api) -> Answer:
    return send(url, "GET", api.path("?name=" + "a" * 20_000), api.auth.items())


def url_over_the_parsers_limit(url: str, api: Api) -> Answer:
    return send_raw(url, api.path("?name=" + "a" * 100_000).encode(), api.auth)


def many_headers(url: str, api: Api) -> Answer:
    return send_raw(url, api.path().encode(), api.auth, MANY_HEADERS)


def one_huge_header(url: str, api: Api) -> Answer:
    return send(url, "GET", api.path(), [*api.auth.items(), ("x-huge", "h" * 1_000_000)])


def telnyx_envelope(code: str, title: str, detail: str) -> dict:
    return {"errors": [{"code": code, "title": title, "detail": detail, "meta": {
        "url": f"https://developers.telnyx.com/docs/overview/errors/{code}"}}]}


def feathers(name: str, class_name: str, code: int, message: str) -> dict:
    return {"name": name, "message": message, "code": code, "className": class_name}


NO_ROUTE = telnyx_envelope("10005", "Resource not found",
                           "The requested resource or URL could not be found.")
UNPARSEABLE = {"detail": "There was an error parsing the body"}
TELNYX_TOO_LARGE = {
    413: telnyx_envelope("10015", "Request Entity Too Large", "The request body is too large."),
    431: telnyx_envelope("10015", "Request Header Fields Too Large",
                         "The request line and headers are too large.")}
APEX_TOO_LARGE = {
    413: feathers("PayloadTooLarge", "payload-too-large", 413, "request entity too large"),
    431: feathers("RequestHeaderFieldsTooLarge", "request-header-fields-too-large", 431,
                  "Request Header Fields Too Large")}

# case -> (Telnyx status, Telnyx body or error type, AchieveApex status, body or message)
CATALOGUE: dict[Request, tuple[int, object, int, object]] = {
    invalid_json: (422, "json_invalid", 400, "Unexpected token b in JSON at position 9"),
    wrong_content_type: (422, "model_attributes_type", 400, "validation failed"),
    ten_megabyte_body: (413, TELNYX_TOO_LARGE[413], 413, APEX_TOO_LARGE[413]),
    ten_megabyte_chunked_body: (413, TELNYX_TOO_LARGE[413], 413, APEX_TOO_LARGE[413]),
    unknown_method: (400, {"detail": "Bad Request"}, 400, "Bad Request"),
    deep_array: (400, UNPARSEABLE, 400, "Maximum call stack size exceeded"),
    deep_object: (400, UNPARSEABLE, 400, "Maximum call stack size exceeded"),
    invalid_utf8_body: (400, UNPARSEABLE, 400, "invalid JSON, only supports object and array"),
    invalid_utf8_in_path: (404, telnyx_envelope("10005", "Resource not found",
                                                "Assistant \ufffd\ufffd not found."),
                           400, "validation failed"),
    raw_non_ascii_in_path: (400, {"detail": "Bad Request"}, 400, "Bad Request"),
    invalid_utf8_in_query: (422, "int_parsing", 400, "validation failed"),
    raw_non_ascii_in_query: (400, {"detail": "Bad Request"}, 400, "Bad Request"),
    dot_dot_slash_id: (404, NO_ROUTE, 404, "Path /ai-assistants/../../etc/passwd not found"),
    encoded_dot_dot_slash_id: (404, NO_ROUTE, 404,
                               "Path /ai-assistants/../etc/passwd not found"),
    nul_id: (404, telnyx_envelope("10005", "Resource not found", "Assistant \x00 not found."),
             400, "validation failed"),
    ten_thousand_query_parameters: (431, TELNYX_TOO_LARGE[431], 431, APEX_TOO_LARGE[431]),
    long_url: (431, TELNYX_TOO_LARGE[431], 431, APEX_TOO_LARGE[431]),
    url_over_the_parsers_limit: (431, TELNYX_TOO_LARGE[431], 431, APEX_TOO_LARGE[431]),
    many_headers: (431, TELNYX_TOO_LARGE[431], 431, APEX_TOO_LARGE[431]),
    one_huge_header: (431, TELNYX_TOO_LARGE[431], 431, APEX_TOO_LARGE[431]),
}


def assert_telnyx_answer(answer: Answer, status: int, expected: object) -> None:
    assert answer.status == status, answer.body[:300]
    body = answer.json()
    if isinstance(expected, str):  # FastAPI's 422: the one error's type
        assert [error["type"] for error in body["detail"]] == [expected]
    else:
        assert body == expected


def assert_feathers_answer(answer: Answer, status: int, expected: object) -> None:
    assert answer.status == status, answer.body[:300]
    body = answer.json()
    if isinstance(expected, str):
        assert body["message"] == expected
        assert body["code"] == status
        assert body["className"] == {400: "bad-request", 404: "not-found"}[status]
    else:
        assert body == expected


def still_serving(url: str, api: Api) -> bool:
    return send(url, "GET", api.path(), api.auth.items()).status == 200


@pytest.mark.parametrize("case", CATALOGUE, ids=[case.__name__ for case in CATALOGUE])
def test_telnyx_answers_every_bad_input_with_its_own_4xx_and_keeps_serving(live_url, case):
    status, expected, _, _ = CATALOGUE[case]
    answer = case(live_url, TELNYX)
    assert answer.content_type == "application/json"
    assert_telnyx_answer(answer, status, expected)
    assert still_serving(live_url, TELNYX)


@pytest.mark.parametrize("case", CATALOGUE, ids=[case.__name__ for case in CATALOGUE])
def test_achieveapex_answers_every_bad_input_with_a_feathers_4xx_and_keeps_serving(live_url,
                                                                                    case):
    _, _, status, expected = CATALOGUE[case]
    answer = case(live_url, APEX)
    assert answer.content_type == "application/json"
    assert_feathers_answer(answer, status, expected)
    assert still_serving(live_url, APEX)


# --- around the limits ------------------------------------------------------------------------

def test_a_thousand_query_parameters_under_the_head_limit_are_parsed_and_ignored(live_url):
    params = "&".join(f"p{i}=1" for i in range(1000))
    answer = send(live_url, "GET", TELNYX.path("?" + params), TELNYX.auth.items())
    assert (answer.status, answer.json()) == (200, {"data": []})


def test_a_thousand_repeats_of_one_feathers_filter_are_parsed_as_one_array(live_url):
    answer = send(live_url, "GET", APEX.path("?" + "&".join(["name=x"] * 1000)),
                  APEX.auth.items())
    assert answer.status == 400
    assert answer.json()["data"][0]["message"] == "must be string"


def test_a_trailing_slash_is_redirected_as_fastapi_does_for_telnyx(live_url):
    with httpx.Client(base_url=live_url) as client:
        response = client.get(TELNYX.path("/"), headers=TELNYX.auth)
    assert response.status_code == 307
    assert urlsplit(response.headers["location"]).path == TELNYX.path()


def test_a_trailing_slash_is_stripped_as_feathers_does_for_achieveapex(live_url):
    answer = send(live_url, "GET", APEX.path("/"), APEX.auth.items())
    assert (answer.status, answer.json()["data"]) == (200, [])


def test_an_encoded_dot_dot_id_is_an_id_that_is_not_an_integer_for_achieveapex(live_url):
    answer = send(live_url, "GET", APEX.path("/%2e%2e%2f"), APEX.auth.items())
    assert answer.status == 400
    assert answer.json()["data"][0]["instancePath"] == "/id"


def test_a_refused_request_pipelined_behind_another_is_answered_in_its_own_apis_shape(live_url):
    parts = urlsplit(live_url)
    first = b"GET /v2/ai/assistants HTTP/1.1\r\nhost: fake\r\nauthorization: Bearer k\r\n\r\n"
    second = b"GET /ai-assistants/\xff HTTP/1.1\r\nhost: fake\r\nx-api-key: k\r\n\r\n"
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(first + second)
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    last_answer = received.rpartition(b"HTTP/1.1 ")[2]
    assert last_answer.startswith(b"400 ")
    assert json.loads(last_answer.partition(b"\r\n\r\n")[2]) == {
        "name": "BadRequest", "message": "Bad Request", "code": 400, "className": "bad-request"}


def test_the_head_limit_is_a_setting():
    with running_server(Settings(port=free_port(), max_head_bytes=2048)) as url:
        small = send(url, "GET", APEX.path(), [*APEX.auth.items(), ("x-pad", "p" * 1000)])
        large = send(url, "GET", APEX.path(), [*APEX.auth.items(), ("x-pad", "p" * 3000)])
    assert (small.status, large.status) == (200, 431)
    assert large.json() == APEX_TOO_LARGE[431]
