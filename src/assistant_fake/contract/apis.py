"""What the contract suites need to know about each vendor's API."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ContractApi:
    name: str
    spec_file: str
    base_path: str  # where the fake serves the API; a real --url already includes it
    key_env: str
    auth_header: str
    auth_scheme: str  # prefix of the header value, "" for a bare key
    validation_status: int  # the vendor's answer to a request that breaks the schema
    # A body field naming the caller's account (AchieveApex's organisation), the path that tells
    # its value, and where in that answer it is. Generated values would name other accounts.
    scope_field: str | None = None
    scope_path: str = ""

    def scope_of(self, organizations: dict) -> object:
        """The caller's account id in the answer to ``scope_path`` (Feathers: first record)."""
        return organizations["data"][0]["id"]

    def auth_headers(self, key: str) -> dict[str, str]:
        value = f"{self.auth_scheme} {key}" if self.auth_scheme else key
        return {self.auth_header: value}


APIS: dict[str, ContractApi] = {
    "telnyx": ContractApi(
        name="telnyx", spec_file="telnyx-ai-assistants.yaml", base_path="/v2",
        key_env="TELNYX_API_KEY", auth_header="Authorization", auth_scheme="Bearer",
        validation_status=422,
    ),
    "achieveapex": ContractApi(
        name="achieveapex", spec_file="achieveapex-ai-assistants.yaml", base_path="",
        key_env="ACHIEVEAPEX_API_KEY", auth_header="x-api-key", auth_scheme="",
        validation_status=400, scope_field="organization_id", scope_path="/organizations",
    ),
}
