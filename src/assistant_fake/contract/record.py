"""``assistant-fake record``: run a vendor's scripted journey and its contract suite against a
real service and keep every request/response pair in a JSON cassette, with secrets redacted.

The journey is a fixed, readable sequence (create, read, update, list, delete...); the suite's
traffic (``record_suite``) is whatever Schemathesis generated, in real-service mode, with its
cleanup calls at the end.

Redaction, in two passes so that no form of the key survives:
1. by name: headers (``Authorization``, ``x-api-key``, cookies, anything named like a key, token
   or secret), query parameters and JSON body members whose name has a ``key``, ``apikey``,
   ``secret``, ``token``, ``password``, ``credentials`` or ``authorization`` word (so ``api_key``,
   ``api_key_ref``, ``x-api-key``, but not ``max_tokens``) get the value ``[REDACTED]``; an
   ``Authorization`` value keeps only its scheme (``Bearer [REDACTED]``).
2. by value: every string left in the cassette (keys of objects included) has each occurrence of
   the key, raw or URL-encoded, replaced by ``[REDACTED]``, which also catches a key echoed back
   in an error message.
``*_key_ref`` values name a secret kept by the vendor rather than hold one, but they are redacted
all the same: a cassette is meant to be shared, and drift compares redacted values by type only.
"""

from __future__ import annotations

import base64
import json
import sys
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import httpx

from assistant_fake.contract.apis import APIS, ContractApi
from assistant_fake.contract.journeys import JOURNEYS, Step, fill_body, show_body
from assistant_fake.core.redaction import (
    REDACTED,
    is_secret_name,
    redact_header,
    redact_json,
    secret_forms,
)

FORMAT = "assistant-fake-cassette/1"


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {name.lower(): redact_header(name, value) for name, value in headers.items()}


def scrub(value: Any, secrets: list[str]) -> Any:
    """Every occurrence of a secret in any string (object keys too) becomes ``[REDACTED]``."""
    if isinstance(value, str):
        for secret in secrets:
            value = value.replace(secret, REDACTED)
        return value
    if isinstance(value, dict):
        return {scrub(k, secrets): scrub(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub(v, secrets) for v in value]
    return value


def public_url(url: str) -> str:
    """The base URL without user info or query (either could carry a credential)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path.rstrip("/"), "", ""))


def request_body_of(content: bytes) -> dict[str, Any]:
    """Like ``body_of``, but a body that re-encoding would change (not UTF-8, duplicate keys,
    numbers beyond float range) is kept byte for byte, base64-encoded, as ``raw``: a replay
    must send what the suite sent."""
    if not content:
        return {}
    try:
        text = content.decode("utf-8")
        parsed = json.loads(text, object_pairs_hook=_unique_members,
                            parse_constant=_refuse_constant, parse_float=_finite_float)
    except (UnicodeDecodeError, ValueError):
        try:
            return {"text": content.decode("utf-8")}
        except UnicodeDecodeError:
            return {"raw": base64.b64encode(content).decode("ascii")}
    return {"body": parsed}


def _unique_members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({name for name, _ in pairs}) != len(pairs):
        raise ValueError("duplicate member")
    return dict(pairs)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError("beyond float range")
    return value


def body_of(content: bytes) -> dict[str, Any]:
    """``{"body": JSON}`` when the content is JSON, else ``{"text": ...}`` (or nothing)."""
    if not content:
        return {}
    try:
        return {"body": json.loads(content)}
    except ValueError:
        return {"text": content.decode("utf-8", "replace")}


def exchange(step: Step, path: str, query: list[tuple[str, str]],
             response: httpx.Response) -> dict[str, Any]:
    """One cassette entry; ``path`` is relative to the base URL so a cassette replays against
    any host and base path."""
    request = response.request
    return entry(step.label, request.method, path, query, request.headers, request.content,
                 response.status_code, response.headers, response.content)


def entry(label: str, method: str, path: str, query: list[tuple[str, str]],
          request_headers: Mapping[str, str], request_content: bytes, status: int,
          response_headers: Mapping[str, str], response_content: bytes) -> dict[str, Any]:
    """One exchange as a cassette keeps it: secrets redacted, the request's body as sent."""
    sent = request_body_of(request_content)
    answer = body_of(response_content)
    for part in (sent, answer):
        if "body" in part:
            part["body"] = redact_json(part["body"])
    return {
        "step": label,
        "request": {"method": method, "path": path,
                    "query": [[k, REDACTED if is_secret_name(k) else v] for k, v in query],
                    "headers": redact_headers(request_headers), **sent},
        "response": {"status": status, "headers": redact_headers(response_headers), **answer},
    }


@dataclass
class Recording:
    api: str
    base_url: str
    interactions: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"format": FORMAT, "api": self.api, "base_url": self.base_url,
                "redacted": REDACTED, "interactions": self.interactions,
                "skipped": self.skipped, "errors": self.errors}


def describe(api: str, url: str) -> list[str]:
    """What a recording would call, in order (``--dry-run``); ``{name}`` values come from
    earlier answers."""
    base = public_url(url)
    lines = []
    for number, step in enumerate(JOURNEYS[api], 1):
        query = "?" + "&".join(f"{k}={v}" for k, v in step.query) if step.query else ""
        body = f" {json.dumps(show_body(step.body))}" if step.body is not None else ""
        auth = "" if step.authenticated else " (no key)"
        lines.append(f"{number:2}. {step.label}: {step.method} {base}{step.path}{query}"
                     f"{body}{auth}")
    return lines


def record(api: str, url: str, key: str, *, client: httpx.Client | None = None,
           out: TextIO | None = None) -> Recording:
    """Run ``api``'s journey against ``url`` (the API's base URL) with ``key``."""
    target = APIS[api]
    out = out or sys.stdout
    own_client = client is None
    client = client or httpx.Client(base_url=url.rstrip("/"), timeout=30.0)
    recording = Recording(api=api, base_url=public_url(url))
    values: dict[str, Any] = {}
    failed = False
    try:
        for step in JOURNEYS[api]:
            if (failed and not step.cleanup) or not step.refs() <= set(values):
                recording.skipped.append(step.label)
                print(f"  skip {step.label}", file=out, flush=True)
                continue
            try:
                path, query, response = _send(client, target, key, step, values)
            except httpx.HTTPError as error:
                failed = True
                recording.errors.append(f"{step.label}: {type(error).__name__}: {error}")
                print(f"  {step.label}: {error}", file=out, flush=True)
                continue
            recording.interactions.append(exchange(step, path, query, response))
            print(f"  {step.label}: {step.method} {response.request.url.path} -> "
                  f"{response.status_code}", file=out, flush=True)
            failed |= not _learn(step, response, values)
    finally:
        if own_client:
            client.close()
    return recording


def _send(client: httpx.Client, target: ContractApi, key: str, step: Step,
          values: dict[str, Any]) -> tuple[str, list[tuple[str, str]], httpx.Response]:
    text = {k: str(v) for k, v in values.items()}
    path = step.path.format(**text)
    params = [(k, v.format(**text)) for k, v in step.query]
    headers = target.auth_headers(key) if step.authenticated else {}
    kwargs: dict[str, Any] = {"params": params, "headers": headers}
    if step.body is not None:
        kwargs["json"] = fill_body(step.body, values)
    return path, params, client.request(step.method, path, **kwargs)


def _learn(step: Step, response: httpx.Response, values: dict[str, Any]) -> bool:
    """Captures the step's values; False when the answer lacks them (later steps then skip)."""
    if not step.capture:
        return True
    try:
        body = response.json()
        for name, capture in step.capture.items():
            values[name] = capture(body)
    except (ValueError, LookupError, TypeError):
        return False
    return True


def record_suite(recording: Recording, url: str, key: str, *, out: TextIO | None = None,
                 **options: Any) -> bool:
    """Run the contract suite in real-service mode against ``url`` and add every exchange to
    ``recording``; ``options`` are ``runner.SuiteOptions`` fields. True when the suite passed."""
    from assistant_fake.contract.runner import run_contract
    from assistant_fake.contract.traffic import TrafficRecorder

    recorder = TrafficRecorder(url)
    result = run_contract(recording.api, url=url, key=key, out=out, recorder=recorder,
                          **options)
    recording.interactions += recorder.interactions
    return result.ok


def write_cassette(recording: Recording, path: Path, key: str) -> None:
    cassette = scrub(recording.as_json(), secret_forms([key])) if key else recording.as_json()
    try:
        text = json.dumps(cassette, indent=2, ensure_ascii=False) + "\n"
        path.write_text(text, encoding="utf-8")
    except UnicodeEncodeError:  # a lone surrogate a fuzzer sent: escape everything instead
        path.write_text(json.dumps(cassette, indent=2) + "\n", encoding="utf-8")
