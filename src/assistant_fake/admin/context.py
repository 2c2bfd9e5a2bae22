"""What every admin handler needs: the running app's state."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from assistant_fake.app import AppState

APP_STATE_KEY = "assistant_fake"


def app_state() -> AppState:
    return current_app.config[APP_STATE_KEY]
