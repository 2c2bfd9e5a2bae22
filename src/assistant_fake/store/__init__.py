"""State: TinyDB collections, the clock and the id generator."""

from assistant_fake.store.clock import Clock, isoformat
from assistant_fake.store.ids import IdGenerator
from assistant_fake.store.store import Collection, Document, Store

__all__ = ["Clock", "Collection", "Document", "IdGenerator", "Store", "isoformat"]
