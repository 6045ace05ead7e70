"""The home page has no forms."""
