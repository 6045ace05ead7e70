"""The demo has no forms: it is run from the command line."""
