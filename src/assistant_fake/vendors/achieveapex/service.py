"""AchieveApex's state layer as one object: what the HTTP handlers and fixtures call."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from assistant_fake.store import Store
from assistant_fake.vendors.achieveapex.api_tools import ApiTools
from assistant_fake.vendors.achieveapex.assistants import AiAssistants, ChangeHistory
from assistant_fake.vendors.achieveapex.mcp import McpConnections
from assistant_fake.vendors.achieveapex.organizations import Organizations
from assistant_fake.vendors.achieveapex.query import FeathersQuery
from assistant_fake.vendors.achieveapex.reservations import Reservations, ReservationServices
from assistant_fake.vendors.achieveapex.skills import AiAssistantSkills

ValidateBody = Callable[[str, Any], Any]
"""(operationId, body) -> the body after the spec's validation (raises on a bad body)."""


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

    def load_fixture(self, tenant: str, document: Mapping[str, Any],
                     validate: ValidateBody) -> int:
        """Register the fixture's key and create its records, each validated like a client's
        create; an organisation that already holds assistants (a ``--data`` file from an earlier
        run) gets no second copy."""
        caller = self.organizations.register(
            tenant, organization=document.get("organization"), user_id=document.get("user_id"))
        for server in document.get("mcp_servers", []):
            self.mcp.configure(server["url"], server.get("tools", []),
                               credentials=server.get("credentials"))
        if self.assistants.find(caller, FeathersQuery())["total"]:
            return 0
        created = 0
        for operation, service in (("create_ai_assistant", self.assistants),
                                   ("create_api_tool", self.api_tools)):
            key = "assistants" if service is self.assistants else "api_tools"
            for body in document.get(key, []):
                data = {"organization_id": caller.organization_id, **body}
                service.create(caller, validate(operation, data))
                created += 1
        return created
