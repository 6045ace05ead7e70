"""The demo has no models: it writes the other apps' rows through their services."""
