"""The audit trail has no API routes: it is read on the 审计日志 page, by those with audit.view_auditevent."""
