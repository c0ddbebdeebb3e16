"""Alembic's environment: migrate on the connection the server hands over.

`loadforge.server.db.engine.migrate` puts an open connection in
`config.attributes["connection"]`; there is no alembic.ini and no offline mode.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from loadforge.server.db.models import Base


def run_migrations_online() -> None:
    """Run the migrations on the given connection, in its transaction."""
    connection = context.config.attributes["connection"]
    assert isinstance(connection, Connection)
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
