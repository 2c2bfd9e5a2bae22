"""Scheduled events: a phone call or an SMS an assistant will make at a fixed time.

The fake dials no one and sends nothing, so an event stays ``pending`` until it is deleted;
deleting cancels a pending event and, as Telnyx documents for any other status, removes the
record. Afterwards the event is gone: a get or a second delete is NotFound. Events live in one
collection per assistant, so listing one assistant's events never reads another's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from assistant_fake.store import Collection, isoformat
from assistant_fake.vendors.telnyx.assistants import AssistantScoped
from assistant_fake.vendors.telnyx.rules import (
    DEFAULT_PAGE_NUMBER,
    DEFAULT_PAGE_SIZE,
    BadRequest,
    NotFound,
    page,
    parse_datetime,
)

COMMON_FIELDS = ("telnyx_conversation_channel", "telnyx_end_user_target", "telnyx_agent_target",
                 "conversation_metadata", "dynamic_variables")
CHANNEL_FIELDS = {
    "phone_call": (*COMMON_FIELDS, "call_settings", "max_retries_client_errors",
                   "retry_interval_secs"),
    "sms_chat": (*COMMON_FIELDS, "text"),
}
"""Request fields each channel's response model keeps (others are dropped, not echoed)."""

INITIAL_STATUS = "pending"


class ScheduledEvents(AssistantScoped):
    """Scheduled events of every tenant's assistants."""

    def _events(self, tenant: str, assistant_id: str) -> Collection:
        return self._collection(tenant, f"scheduled_events/{assistant_id}")

    def create(self, tenant: str, assistant_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
        """A pending event; ``text`` is required for ``sms_chat``."""
        channel = body.get("telnyx_conversation_channel")
        if channel not in CHANNEL_FIELDS:
            raise BadRequest("telnyx_conversation_channel must be phone_call or sms_chat.")
        if channel == "sms_chat" and not body.get("text"):
            raise BadRequest("text is required for sms_chat scheduled events.")
        when = parse_datetime(body["scheduled_at_fixed_datetime"], "scheduled_at_fixed_datetime")
        with self._store.transaction():
            self._assistants.get(tenant, assistant_id)
            event = {
                "scheduled_event_id": self._uuid(),
                "assistant_id": assistant_id,
                "scheduled_at_fixed_datetime": isoformat(when),
                **{key: body[key] for key in CHANNEL_FIELDS[channel] if body.get(key) is not None},
                "status": INITIAL_STATUS,
                "retry_count": 0,
                "errors": [],
                "created_at": self._stamp(),
            }
            self._events(tenant, assistant_id).put(event["scheduled_event_id"], event)
            return event

    def list(self, tenant: str, assistant_id: str, *, page_number: int = DEFAULT_PAGE_NUMBER,
             page_size: int = DEFAULT_PAGE_SIZE, conversation_channel: str | None = None,
             from_date: str | datetime | None = None,
             to_date: str | datetime | None = None) -> dict[str, Any]:
        """``{"data", "meta"}``, earliest scheduled first; the date range is inclusive."""
        start = parse_datetime(from_date, "from_date") if from_date is not None else None
        end = parse_datetime(to_date, "to_date") if to_date is not None else None
        with self._store.transaction():
            self._assistants.get(tenant, assistant_id)
            events = [event for event in self._events(tenant, assistant_id).values()
                      if _matches(event, conversation_channel, start, end)]
        events.sort(key=lambda event: event["scheduled_at_fixed_datetime"])
        return page(events, page_number, page_size)

    def get(self, tenant: str, assistant_id: str, event_id: str) -> dict[str, Any]:
        with self._store.transaction():
            self._assistants.get(tenant, assistant_id)
            event = self._events(tenant, assistant_id).get(event_id)
            if event is None:
                raise NotFound(f"Scheduled event {event_id} not found.")
            return event

    def delete(self, tenant: str, assistant_id: str, event_id: str) -> None:
        """Cancel a pending event (any other status: just forget it); the record is gone."""
        with self._store.transaction():
            self._assistants.get(tenant, assistant_id)
            if not self._events(tenant, assistant_id).delete(event_id):
                raise NotFound(f"Scheduled event {event_id} not found.")


def _matches(event: Mapping[str, Any], channel: str | None, start: datetime | None,
             end: datetime | None) -> bool:
    if channel is not None and event["telnyx_conversation_channel"] != channel:
        return False
    when = parse_datetime(event["scheduled_at_fixed_datetime"], "scheduled_at_fixed_datetime")
    return (start is None or when >= start) and (end is None or when <= end)
