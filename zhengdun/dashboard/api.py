"""The dashboard has no API routes yet."""
