"""Signals the plans app sends, for the apps above it (copycheck) to act on
without plans importing them."""

from django.dispatch import Signal

# Sent inside plan_submit's transaction once the submitted text is frozen as
# a PlanVersion: sender=Plan, plan=<Plan, locked and current>,
# version=<PlanVersion>, actor=<Actor>. A receiver that changes the plan sets
# the new values on `plan` too, so the submission's audit record shows them.
plan_version_frozen = Signal()
