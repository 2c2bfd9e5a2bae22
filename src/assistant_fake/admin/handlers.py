"""Handlers of the admin API (``openapi/admin.yaml``)."""

from __future__ import annotations

from flask import Response, current_app

from assistant_fake import __version__
from assistant_fake.core.responses import json_response

APP_STATE_KEY = "assistant_fake"


def health() -> Response:
    state = current_app.config[APP_STATE_KEY]
    return json_response({
        "status": "ok",
        "version": __version__,
        "apis": {vendor.name: vendor.base_path or "/" for vendor in state.vendors},
    })
