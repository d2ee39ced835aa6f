"""The year around the worksheet: periods and the units they open (`periods`), pencanangan
and pembangunan records (`services`), what each stage requires (`checks`), the units proposed
to TPN (`proposals`), field visits, and predicate awards with the one prior-predicate rule
(`awards`). `views` are the unit's stage pages, `views_national` the admin's and TPN's."""
