"""Use cases joining core and data. Each takes a SQLAlchemy session and never commits."""
