"""Signals through which higher apps add their rules to organization writes."""

from django.dispatch import Signal

# Sent by services.post_end before the end is saved, with `post` and `ended_on`.
# A receiver returns the warnings (list[str]) its rules raise about ending the
# post; they go into the audit note. The support app's link and withdrawal
# rules reach the generic path this way without organizations importing them.
post_ending = Signal()
