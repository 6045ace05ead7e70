"""The audit list filters with plain GET parameters (audit/views.py); the trail is written by services, never through a form."""
