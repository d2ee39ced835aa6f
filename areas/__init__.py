"""The LKE instrument of PermenPAN-RB 90/2021 (six change areas, 113 items, predicate rules) as
data in three forms (YAML shipped, XLSX for admins, the database), and the pure scoring engine
that every page, report and export reads (`scoring` → `results`, shown through `labels`)."""
