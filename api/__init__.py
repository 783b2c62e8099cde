"""The REST API (FastAPI) over the same services as the pages."""
