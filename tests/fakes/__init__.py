"""In-memory fakes of the services' ports (`fourchain.services.ports`), for service tests that
run in milliseconds (the FakeRepository of "Architecture Patterns with Python"). mypy checks
them against the Protocols (`tool.mypy.files`)."""
