"""Background jobs: work that outlives a request, run by Huey consumers (`manage.py run_huey`).

A `Job` row is the unit of work and of idempotency: it has a unique key per kind,
object and period, so enqueuing the same work twice (a double click, a restarted
scheduler, two consumers each firing the same periodic task) finds the row already
there and runs nothing new. Its state (queued → running → done / failed) moves on
the workflow (transitions.py) as the system actor, so exactly one consumer takes a
queued job and every step is in the audit trail.

Apps register the kinds of work they own into `registry` from their AppConfig.ready
(ledger: the export; audit: the daily seal; rectification: purging deleted files):
core imports no app. The queue itself (Huey: a SQLite file by default, Redis or
PostgreSQL in production) only carries job ids (queue.py).
"""
