"""Requests uvicorn's HTTP parser refuses, answered in the shape of the API that owns the path.

uvicorn's httptools parser refuses a few requests before any app sees them, with a plain-text
``400 Invalid HTTP request received.``: raw bytes that are not ASCII in the request target, and
a URL too long for it to split (over 64 KiB). A client of the fake should get the vendor's
error body whatever it sends, so this protocol answers those requests as the gateway would:
431 when the request head is over the fake's header limit, 400 otherwise, both in the vendor's
shape and on a closed connection (the parser's state is lost).
"""

from __future__ import annotations

import http
import re
from typing import Any

from assistant_fake.core.errors import ErrorMapper


def vendor_http_protocol(error_for_path: ErrorMapper, max_head_bytes: int) -> Any:
    """uvicorn's ``http`` setting: the httptools protocol with vendor-shaped refusals.

    Answers ``"auto"`` where httptools is not installed: uvicorn then uses h11, whose own
    refusals stay plain text (README, Assumptions).
    """
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    except ImportError:  # pragma: no cover - httptools ships with uvicorn[standard]
        return "auto"

    class VendorHttpToolsProtocol(HttpToolsProtocol):
        _chunk = b""

        def data_received(self, data: bytes) -> None:
            self._chunk = data  # where the request line is when the parser fails early
            super().data_received(data)

        def send_400_response(self, msg: str) -> None:
            target = bytes(getattr(self, "url", b"")) or _target(self._chunk)
            status = 431 if len(target) > max_head_bytes else 400
            path = target.partition(b"?")[0].decode("latin-1")
            error = error_for_path("GET", path, status, http.HTTPStatus(status).phrase)
            headers = [*self.server_state.default_headers,
                       *((k.encode("latin-1"), v.encode("latin-1"))
                         for k, v in error.headers.items())]
            self.transport.write(_raw_response(error.status, error.payload(),
                                               error.media_type, headers))
            self.transport.close()

    return VendorHttpToolsProtocol


_REQUEST_LINE = re.compile(rb"(?:^|\r\n)[!-~]+ (\S+) HTTP/\d\.\d\r\n")


def _target(chunk: bytes) -> bytes:
    """The target of the last request line in ``chunk``: the failing request's, even when
    pipelined behind others (b"" if there is none)."""
    found = _REQUEST_LINE.findall(chunk)
    return found[-1] if found else b""


def _raw_response(status: int, body: bytes, media_type: str,
                  headers: list[tuple[bytes, bytes]]) -> bytes:
    head = [f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}".encode("latin-1"),
            *(name + b": " + value for name, value in headers),
            b"content-type: " + media_type.encode("latin-1"),
            b"content-length: %d" % len(body), b"connection: close"]
    return b"\r\n".join(head) + b"\r\n\r\n" + body
