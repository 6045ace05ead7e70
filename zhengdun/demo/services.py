"""The demo's one write is build_demo in builder.py, run by `manage.py demo`."""
