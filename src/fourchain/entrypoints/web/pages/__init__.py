"""Page routers (server-rendered HTML), one module per area."""
