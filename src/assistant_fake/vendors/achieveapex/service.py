"""AchieveApex's state layer as one object: what the HTTP handlers and fixtures call."""

from __future__ import annotations

from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.api_tools import ApiTools
from assistant_fake.vendors.achieveapex.assistants import AiAssistants, ChangeHistory
from assistant_fake.vendors.achieveapex.mcp import McpConnections
from assistant_fake.vendors.achieveapex.organizations import Organizations
from assistant_fake.vendors.achieveapex.reservations import Reservations, ReservationServices
from assistant_fake.vendors.achieveapex.skills import AiAssistantSkills


class AchieveApexService:
    """Every Feathers service of the API, on one store."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.organizations = Organizations(store)
        self.assistants = AiAssistants(store)
        self.history = ChangeHistory(store)
        self.skills = AiAssistantSkills(store)
        self.api_tools = ApiTools(store)
        self.mcp = McpConnections(store)
        self.reservation_services = ReservationServices(store)
        self.reservations = Reservations(store)
