"""Adapters: storage, ingest, analytics, search and reports around the pure domain."""
