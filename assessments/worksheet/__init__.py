"""The worksheet: the LKE answered in one layer at a time (self-assessment, reviewer, TPI,
TPN), autosaved item by item with its history, and the items a reviewer returns."""
