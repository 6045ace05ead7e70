"""The dashboard writes nothing: it only reads (todo.py, selectors.py)."""
