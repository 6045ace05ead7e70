"""Copy detection has no forms: its pages only read."""
