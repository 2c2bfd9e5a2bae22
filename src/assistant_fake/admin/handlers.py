"""Handlers of the admin API (``openapi/admin.yaml``)."""

from __future__ import annotations

from typing import Any

from flask import current_app

from assistant_fake import __version__

APP_STATE_KEY = "assistant_fake"


def health() -> tuple[dict[str, Any], int]:
    state = current_app.config[APP_STATE_KEY]
    return {
        "status": "ok",
        "version": __version__,
        "apis": {vendor.name: vendor.base_path or "/" for vendor in state.vendors},
    }, 200
