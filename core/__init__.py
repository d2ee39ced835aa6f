"""The ground floor: plumbing every app may use and that knows no domain. The audit verb
(audit.py), the pagination helper (pagination.py), request middleware (middleware.py: text at the
boundary, per-account write limits, language, auditlog), rate limits (ratelimits.py), the text
and spreadsheet-cell rules (text.py, cells.py) and the Redis cache client (cache.py). Nothing
here imports units, areas, assessments or reports."""
