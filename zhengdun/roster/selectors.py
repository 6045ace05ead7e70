"""The roster import reads through its plan (plan.py); it has no selectors of its own."""
