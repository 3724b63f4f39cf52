"""The job queue: huey over an embedded SQLite file or Redis (see docs/adr/0002-job-runner.md)."""
