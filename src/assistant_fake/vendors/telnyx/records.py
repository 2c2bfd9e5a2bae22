"""Store access every Telnyx service shares: collection naming, the clock stamp and ids.

Kept in one base so no service spells them differently: a tenant's records live only in
collections named ``telnyx/<tenant>/<what>`` (that prefix is what keeps accounts apart), and
every timestamp the API answers is the store's clock in the one format both vendors use.
"""

from __future__ import annotations

from datetime import datetime

from assistant_fake.store import Collection, Store, isoformat


class TenantRecords:
    """Base of the Telnyx services: per-tenant collections of one store, its clock and ids."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _collection(self, tenant: str, what: str) -> Collection:
        """The tenant's collection of ``what`` (``assistants``, ``tests``, ...)."""
        return self._store.collection(f"telnyx/{tenant}/{what}")

    def _now(self) -> datetime:
        return self._store.clock.now()

    def _stamp(self) -> str:
        """Now, as the API writes timestamps."""
        return isoformat(self._now())

    def _uuid(self) -> str:
        return self._store.ids.uuid4()
