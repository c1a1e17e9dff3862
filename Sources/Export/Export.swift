// Export: each group's tables as CSV, one SQLite database, JSON and a self-contained HTML report.
