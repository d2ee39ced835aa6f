"""The package KemenPAN-RB's PMPZI takes of every unit a period proposes: per unit a documented
JSON (data.py, schema.json) and an XLSX (workbook.py) of its identity, the TPI layer's answers
and scores and its evidence links, all units of a period in one ZIP (archive.py), made by the
report jobs (reports.kinds, kind "pmpzi_export")."""
