"""Storage: SQLAlchemy Core tables, the engine, migrations and repositories."""
