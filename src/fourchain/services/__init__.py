"""Use cases: each takes its ports and returns domain values."""
