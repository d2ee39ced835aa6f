"""The ground floor: plumbing every app may use and that knows no domain (pagination, for now).
Nothing here imports units, areas, assessments or reports."""
