"""The dashboard has no models: it reads the other apps' rows."""
