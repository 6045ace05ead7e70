"""The demo has no pages: it is run from the command line."""
