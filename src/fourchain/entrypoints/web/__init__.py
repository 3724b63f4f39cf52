"""The web app: FastAPI with server-rendered pages (see docs/web.md)."""
