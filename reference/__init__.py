"""The county's reference data from the 2018 committee report (``data/``), loaded idempotently.

It fills several apps (districts and bases, former children's centres, the fund's sources, the budget lines,
the determinants), so it sits above them; ``manage.py load_reference_data`` runs it.
"""
