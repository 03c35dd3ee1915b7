"""Storage: SQLAlchemy models, engine, migrations and repository functions (no Qt)."""
