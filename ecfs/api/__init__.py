"""The REST API: DRF plumbing shared by every app's ``api.py``, and partner systems' tokens.

Every endpoint reads through the apps' selectors (so it sees exactly what the pages show) and writes
through their services. Permissions fail closed: a view that declares none answers 403.
"""
