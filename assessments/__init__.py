"""Each unit's assessment of a year, from pencanangan to the predicate.

Here, the assessment itself: its model (`models/`), the status policy (`policy`), the one
transition table (`workflow`, `effects`), who may do what on it (`permissions`), queues,
notices and the transition service. Its sub-domains each have a package with their own
models, services, selectors, views, urls and forms:
- `worksheet/`: the LKE answered layer by layer, returned items, the worksheet pages;
- `evidence/`: data dukung: upload intake and content inspection, limits, links, verdicts;
- `stages/`: periods, pencanangan and pembangunan records, proposals to TPN, field visits,
  predicate awards and the checks of each stage.
"""
