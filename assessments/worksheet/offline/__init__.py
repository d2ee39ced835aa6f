"""The offline LKE workbook: one layer's items as an XLSX to fill without a connection
(export), read back with every bad cell named (read), and applied after the user has seen and
confirmed the changes through the worksheet's one save path (apply)."""
