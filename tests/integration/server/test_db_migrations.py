"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from loadforge.server.db import make_engine, migrate
from loadforge.server.db.models import Base
from loadforge.server.settings import ServerSettings


def test_models_match_the_migrations(settings: ServerSettings) -> None:
    settings.data_dir.mkdir(parents=True)
    engine = make_engine(settings.effective_database_url)
    try:
        migrate(engine)
        migrate(engine)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
        assert differences == []
    finally:
        engine.dispose()
