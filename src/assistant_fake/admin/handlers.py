"""Handlers of the admin API (``openapi/admin.yaml``) that belong to no area of their own.

Operation ids of the form ``area.function`` resolve to ``assistant_fake.admin.<area>``.
"""

from __future__ import annotations

from flask import Response

from assistant_fake import __version__
from assistant_fake.admin.context import APP_STATE_KEY, app_state
from assistant_fake.core.responses import json_response

__all__ = ["APP_STATE_KEY", "health"]


def health() -> Response:
    return json_response({
        "status": "ok",
        "version": __version__,
        "apis": {vendor.name: vendor.base_path or "/" for vendor in app_state().vendors},
    })
