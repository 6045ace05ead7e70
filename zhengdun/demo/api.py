"""The demo has no API routes."""
