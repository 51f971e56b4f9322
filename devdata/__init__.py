"""Development and test data only: the demo families, the county-scale generator and the benchmark (not shipped)."""
