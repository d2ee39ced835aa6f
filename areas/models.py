"""What is measured: LKE versions, areas, indicators, questions and the scoring engine."""
