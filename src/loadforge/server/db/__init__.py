"""The server's storage: models, engine and session factory, migrations applied at start-up."""

from loadforge.server.db.engine import make_engine, migrate, session_factory

__all__ = ["make_engine", "migrate", "session_factory"]
