"""The evidence store: the only code that touches the database."""

from upstream.store.engine import StoreError, database_url, make_engine
from upstream.store.repository import Store, Workspace

__all__ = ["Store", "StoreError", "Workspace", "database_url", "make_engine"]
