"""The demo reads nothing of its own: it has no selectors."""
