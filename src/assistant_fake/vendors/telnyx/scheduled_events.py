"""Scheduled events: a phone call or an SMS an assistant will make at a fixed time.

The fake dials no one and sends nothing; when an event is dispatched, and how it ends, is up to
the scheduled-event lifecycle policy (``lifecycle.py``). By default an event stays ``pending``
until it is deleted; deleting cancels a pending event and, as Telnyx documents for any other
status, removes the record. Afterwards the event is gone: a get or a second delete is
NotFound. Events live in one collection per assistant, so listing one assistant's events never
reads another's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from assistant_fake.store import Collection, Store, isoformat
from assistant_fake.vendors.telnyx.assistants import Assistants, AssistantScoped
from assistant_fake.vendors.telnyx.lifecycle import (
    LIFECYCLE_FIELD,
    SCHEDULED_EVENTS,
    Lifecycle,
    advance_stored,
    advance_to,
    finished_on_creation,
    new_record_lifecycle,
    public_view,
    read_open,
)
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

FAILURE_MESSAGES = {"phone_call": "The call could not be completed.",
                    "sms_chat": "The message could not be delivered."}
CALL_STATUSES = {"in_progress": "in-progress", "completed": "completed", "failed": "failed"}
"""The ``call_status`` a phone call shows in each event status."""


def dispatch_event(event: Mapping[str, Any], status: str, now: str,
                   conversation_id: str) -> dict[str, Any]:
    """The event moved to ``status`` (in_progress, completed or failed) at ``now``: a phone
    call shows its one attempt, a failure its error."""
    moved = {**event, "status": status, "conversation_id": conversation_id}
    if event["telnyx_conversation_channel"] == "phone_call":
        call_status = CALL_STATUSES[status]
        dispatched_at = event.get("dispatched_at", now)
        moved.update(dispatched_at=dispatched_at, call_status=call_status,
                     call_attempts=[{"attempt_number": 1, "attempted_at": dispatched_at,
                                     "call_status": call_status}])
    if status == "failed":
        moved["errors"] = [*event["errors"], FAILURE_MESSAGES[event["telnyx_conversation_channel"]]]
    return moved



class ScheduledEvents(AssistantScoped):
    """Scheduled events of every tenant's assistants."""

    def __init__(self, store: Store, assistants: Assistants | None = None,
                 lifecycle: Lifecycle | None = None) -> None:
        super().__init__(store, assistants)
        self._lifecycle = lifecycle or Lifecycle(store)

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
                LIFECYCLE_FIELD: new_record_lifecycle(
                    self._lifecycle.policy(tenant, SCHEDULED_EVENTS), self._now()),
            }
            if finished_on_creation(event[LIFECYCLE_FIELD]):
                event = dispatch_event(event, event[LIFECYCLE_FIELD]["outcome"],
                                       event["created_at"], self._uuid())
            self._events(tenant, assistant_id).put(event["scheduled_event_id"], event)
            return public_view(event)

    def list(self, tenant: str, assistant_id: str, *, page_number: int = DEFAULT_PAGE_NUMBER,
             page_size: int = DEFAULT_PAGE_SIZE, conversation_channel: str | None = None,
             from_date: str | datetime | None = None,
             to_date: str | datetime | None = None) -> dict[str, Any]:
        """``{"data", "meta"}``, earliest scheduled first; the date range is inclusive."""
        start = parse_datetime(from_date, "from_date") if from_date is not None else None
        end = parse_datetime(to_date, "to_date") if to_date is not None else None
        with self._store.transaction():
            self._assistants.get(tenant, assistant_id)
            events = [self._settle(tenant, event)
                      for event in self._events(tenant, assistant_id).values()
                      if _matches(event, conversation_channel, start, end)]
        events.sort(key=lambda event: event["scheduled_at_fixed_datetime"])
        return page([public_view(event) for event in events], page_number, page_size)

    def get(self, tenant: str, assistant_id: str, event_id: str) -> dict[str, Any]:
        with self._store.transaction():
            self._assistants.get(tenant, assistant_id)
            event = self._events(tenant, assistant_id).get(event_id)
            if event is None:
                raise NotFound(f"Scheduled event {event_id} not found.")
            return public_view(self._settle(tenant, event))

    def delete(self, tenant: str, assistant_id: str, event_id: str) -> None:
        """Cancel a pending event (any other status: just forget it); the record is gone."""
        with self._store.transaction():
            self._assistants.get(tenant, assistant_id)
            if not self._events(tenant, assistant_id).delete(event_id):
                raise NotFound(f"Scheduled event {event_id} not found.")

    def _settle(self, tenant: str, event: dict[str, Any]) -> dict[str, Any]:
        """One more read of the event under its lifecycle policy (stored, if it moved)."""
        read = read_open(event, SCHEDULED_EVENTS, self._now())
        if read is None:
            return event
        settled, finished_at = read
        if finished_at is not None:
            settled = dispatch_event(settled, settled[LIFECYCLE_FIELD]["outcome"],
                                     isoformat(finished_at),
                                     event.get("conversation_id") or self._uuid())
        if settled != event:
            self._events(tenant, event["assistant_id"]).put(event["scheduled_event_id"], settled)
        return settled

    # --- lifecycle control (the admin API) --------------------------------------------------

    def advance(self, event_id: str, status: str | None = None,
                tenant: str | None = None) -> dict[str, Any]:
        """Move an open event of any tenant (or of ``tenant``) on by hand, to ``status`` or by
        default to its policy's outcome; answers it as the API would. NotFound for an unknown
        event, AlreadyFinished for one that has completed or failed."""
        prefix = f"telnyx/{tenant}/scheduled_events/" if tenant else "telnyx/"
        moved = advance_stored(self._store, prefix, "/scheduled_events/", event_id,
                               lambda event: self._advance(event, status))
        if moved is None:
            raise NotFound(f"Scheduled event {event_id} not found.")
        return moved

    def _advance(self, event: dict[str, Any], status: str | None) -> dict[str, Any]:
        target = advance_to(event, SCHEDULED_EVENTS, status,
                            f"Scheduled event {event['scheduled_event_id']}")
        return dispatch_event(event, target, self._stamp(),
                              event.get("conversation_id") or self._uuid())


def _matches(event: Mapping[str, Any], channel: str | None, start: datetime | None,
             end: datetime | None) -> bool:
    if channel is not None and event["telnyx_conversation_channel"] != channel:
        return False
    when = parse_datetime(event["scheduled_at_fixed_datetime"], "scheduled_at_fixed_datetime")
    return (start is None or when >= start) and (end is None or when <= end)
