"""What the portal gives people to read and keep: the LHE, the evidence ZIP and the national
readiness report as background jobs (`services` asks, `tasks` queues, `worker` renders), and
the dashboards."""
