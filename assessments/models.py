"""What happens each year: periods, assessments, layered answers (issue #5)."""
