"""A believable demo county for `manage.py demo`: plan.py draws it from a seed,
builder.py writes it, cases.py runs the campaign through the services."""
