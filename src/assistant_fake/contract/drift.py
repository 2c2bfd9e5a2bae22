"""``assistant-fake drift``: replay a cassette's requests against the fake and report every
difference from the recorded answers.

Normalisation, so that only real differences are reported:
- ids: a member named ``id`` or ``*_id`` (or an item of ``*_ids``) is not compared by value. The
  first time a recorded id is seen, the fake's value at the same place is learned as its
  counterpart; later requests have recorded ids replaced by the fake's (path segments, query
  values of ``*id*`` parameters, ``*_id`` members of bodies), and later answers must hold the
  counterpart where the recording held the id. Recorded ids inside other strings (error
  messages) are replaced before comparing. Ids are matched by value, so a real service that gave
  two different records the same id would confuse the mapping (reported as an id mismatch).
- timestamps: ISO-8601 strings match any other ISO-8601 string.
- redacted values (``[REDACTED]``) match any value of the same JSON type.
- account values: members that depend on the account rather than on the API (``ACCOUNT``, e.g.
  AchieveApex's organisation name) are compared by type only.
The answer is compared by status, ``Content-Type`` media type, shape (members present, JSON
types, list lengths) and values. When the status differs the bodies are not compared: a 404
against a 200 would only add noise.
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import httpx

from assistant_fake.contract.apis import APIS, ContractApi
from assistant_fake.contract.record import FORMAT, REDACTED, body_of

_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)?$")
# Request headers that belong to the connection, not to the recorded call.
_HOP_HEADERS = {"host", "content-length", "accept-encoding", "connection", "user-agent"}
# (path pattern, member name): values that belong to the recorded account.
ACCOUNT: dict[str, list[tuple[str, str]]] = {
    "telnyx": [],
    "achieveapex": [(r"^/organizations", "name")],
}


@dataclass(frozen=True)
class Difference:
    number: int  # 1-based position in the cassette
    step: str
    call: str  # method and recorded path
    kind: str  # status, header, shape or value
    where: str  # JSON path in the answer, "" for status
    recorded: Any
    observed: Any

    def __str__(self) -> str:
        place = f" at {self.where}" if self.where else ""
        return (f"#{self.number} {self.step} ({self.call}): {self.kind}{place}: recorded "
                f"{_show(self.recorded)}, fake {_show(self.observed)}")


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, _Note) else str(value)
    return text if len(text) <= 120 else text[:117] + "..."


class _Note(str):
    """A description rather than a value (printed without quotes)."""


@dataclass
class DriftReport:
    api: str
    target: str
    replayed: int = 0
    differences: list[Difference] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.differences else 0

    def lines(self) -> list[str]:
        head = (f"drift {self.api}: {self.replayed} recorded calls replayed against "
                f"{self.target}")
        if not self.differences:
            return [head, "no drift"]
        return [head, *(f"  {d}" for d in self.differences),
                f"{len(self.differences)} difference(s)"]


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _is_id_name(name: str) -> bool:
    return name == "id" or name.endswith("_id") or name.endswith("_ids")


class _Comparison:
    """The learned recorded→fake id map and the comparison of one answer at a time."""

    def __init__(self, api: str) -> None:
        self.api = api
        self.ids: dict[Any, Any] = {}
        self.found: list[tuple[str, str, Any, Any]] = []  # kind, where, recorded, observed
        self.account: set[str] = set()

    # -- requests ----------------------------------------------------------------------------

    def _text_ids(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self.ids.items()}

    def path(self, path: str) -> str:
        text = self._text_ids()
        return "/".join(text.get(part, part) for part in path.split("/"))

    def query(self, query: list[list[str]]) -> list[tuple[str, str]]:
        text = self._text_ids()
        return [(k, text.get(v, v) if "id" in k else v) for k, v in query]

    def body(self, value: Any, name: str = "") -> Any:
        if isinstance(value, dict):
            return {k: self.body(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.body(v, name) for v in value]
        if _is_id_name(name) and _hashable(value) and value in self.ids:
            return self.ids[value]
        return value

    # -- answers -----------------------------------------------------------------------------

    def compare(self, path: str, recorded: Any, observed: Any) -> list[tuple[str, str, Any, Any]]:
        self.found = []
        self.account = {member for pattern, member in ACCOUNT[self.api]
                        if re.search(pattern, path)}
        self._compare(recorded, observed, "$", "")
        return self.found

    def _compare(self, recorded: Any, observed: Any, where: str, name: str) -> None:
        if recorded == REDACTED or name in self.account:
            if json_type(recorded) != json_type(observed) and recorded is not None:
                self.found.append(("shape", where, _Note(json_type(recorded)),
                                   _Note(json_type(observed))))
            return
        if json_type(recorded) != json_type(observed):
            self.found.append(("shape", where, _Note(json_type(recorded)),
                               _Note(json_type(observed))))
            return
        if isinstance(recorded, dict):
            for member in recorded.keys() - observed.keys():
                self.found.append(("shape", f"{where}.{member}", _Note("present"),
                                   _Note("missing")))
            for member in observed.keys() - recorded.keys():
                self.found.append(("shape", f"{where}.{member}", _Note("missing"),
                                   _Note("present")))
            for member in recorded.keys() & observed.keys():
                self._compare(recorded[member], observed[member], f"{where}.{member}", member)
        elif isinstance(recorded, list):
            if len(recorded) != len(observed):
                self.found.append(("shape", f"{where}.length", len(recorded), len(observed)))
            for index, (old, new) in enumerate(zip(recorded, observed, strict=False)):
                self._compare(old, new, f"{where}[{index}]", name)
        elif _is_id_name(name) and recorded is not None:
            self._compare_id(recorded, observed, where)
        elif isinstance(recorded, str) and _TIMESTAMP.match(recorded):
            if not _TIMESTAMP.match(observed):
                self.found.append(("value", where, recorded, observed))
        elif self._expected(recorded) != observed:
            self.found.append(("value", where, recorded, observed))

    def _compare_id(self, recorded: Any, observed: Any, where: str) -> None:
        if recorded not in self.ids:
            self.ids[recorded] = observed
        elif self.ids[recorded] != observed:
            self.found.append(("value", where, _Note(f"id {recorded!r} (the fake's "
                                                     f"{self.ids[recorded]!r})"), observed))

    def _expected(self, recorded: Any) -> Any:
        """The recorded scalar with recorded ids inside strings swapped for the fake's."""
        if not isinstance(recorded, str):
            return recorded
        for old, new in self._text_ids().items():
            if len(old) >= 6:  # short numeric ids would match unrelated digits
                recorded = recorded.replace(old, new)
        return recorded


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def load_cassette(path: Path) -> dict[str, Any]:
    cassette = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(cassette, dict) or cassette.get("format") != FORMAT:
        raise ValueError(f"{path.name} is not an assistant-fake cassette ({FORMAT})")
    if cassette.get("api") not in APIS:
        raise ValueError(f"{path.name}: unknown api {cassette.get('api')!r}")
    return cassette


def drift(cassette: dict[str, Any], *, url: str | None = None, app: Any = None,
          key: str | None = None, out: TextIO | None = None) -> DriftReport:
    """Replay against ``url`` (the API's base URL), else the fake (``app``, default: a fresh
    one) in-process, with ``key`` (default: a new one, so a fresh account on a fake)."""
    target = APIS[cassette["api"]]
    key = key or f"contract-drift-{uuid.uuid4().hex}"
    with _client(target, url, app) as client:
        report = DriftReport(api=target.name, target=url or "the fake (in-process)")
        comparison = _Comparison(target.name)
        for number, interaction in enumerate(cassette["interactions"], 1):
            report.differences += _replay(client, target, key, comparison, number, interaction)
            report.replayed += 1
    for line in report.lines():
        print(line, file=out or sys.stdout)
    return report


@contextlib.contextmanager
def _client(target: ContractApi, url: str | None, app: Any) -> Iterator[httpx.Client]:
    if url is not None:
        with httpx.Client(base_url=url.rstrip("/"), timeout=30.0) as client:
            yield client
        return
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

    from assistant_fake.app import create_app

    with TestClient(app or create_app(), base_url="http://testserver" + target.base_path,
                    raise_server_exceptions=False) as client:
        yield client


def _replay(client: httpx.Client, target: ContractApi, key: str, comparison: _Comparison,
            number: int, interaction: dict[str, Any]) -> list[Difference]:
    request, recorded = interaction["request"], interaction["response"]
    sent = request.get("headers", {})
    auth = target.auth_header.lower()
    headers = {name: value for name, value in sent.items()
               if name not in _HOP_HEADERS and name != auth}
    if REDACTED in sent.get(auth, ""):
        headers.update(target.auth_headers(key))
    elif auth in sent:  # sent without a usable key ("", "Bearer "): replay it so
        headers[auth] = sent[auth]
    kwargs: dict[str, Any] = {"params": comparison.query(request.get("query", [])),
                              "headers": headers}
    if "body" in request:
        kwargs["content"] = json.dumps(comparison.body(request["body"])).encode()
    elif "text" in request:
        kwargs["content"] = request["text"].encode()
    elif "raw" in request:
        kwargs["content"] = base64.b64decode(request["raw"])
    response = client.request(request["method"], comparison.path(request["path"]), **kwargs)

    def difference(kind: str, where: str, old: Any, new: Any) -> Difference:
        return Difference(number, interaction.get("step", ""),
                          f"{request['method']} {request['path']}", kind, where, old, new)

    if response.status_code != recorded["status"]:
        return [difference("status", "", recorded["status"], response.status_code)]
    found = []
    old_type = _media_type(recorded.get("headers", {}).get("content-type"))
    new_type = _media_type(response.headers.get("content-type"))
    if old_type != new_type:
        found.append(difference("header", "content-type", old_type, new_type))
    answer = body_of(response.content)
    old_body = recorded.get("body", recorded.get("text"))
    new_body = answer.get("body", answer.get("text"))
    found += [difference(*item) for item in comparison.compare(request["path"], old_body,
                                                                new_body)]
    return found


def _media_type(value: str | None) -> str | None:
    return value.split(";")[0].strip().lower() if value else None
