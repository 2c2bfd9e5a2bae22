"""The Telnyx state layer as one object: what the HTTP handlers call."""

from __future__ import annotations

from assistant_fake.store import Store
from assistant_fake.vendors.telnyx.assistant_tests import AssistantTests
from assistant_fake.vendors.telnyx.assistants import Assistants
from assistant_fake.vendors.telnyx.conversations import Conversations
from assistant_fake.vendors.telnyx.lifecycle import Lifecycle
from assistant_fake.vendors.telnyx.scheduled_events import ScheduledEvents


class TelnyxService:
    """Assistants plus the services that hang off them, all on one store.

    They share one ``Assistants`` so every "does this assistant exist?" check sees the same
    rules (soft-deleted and expired assistants are NotFound everywhere).
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.assistants = Assistants(store)
        self.lifecycle = Lifecycle(store)
        self.scheduled_events = ScheduledEvents(store, self.assistants, self.lifecycle)
        self.tests = AssistantTests(store, self.assistants, self.lifecycle)
        self.conversations = Conversations(store, self.assistants)
