"""Tier-2 support (DESIGN §3): assessments, support plans, contacts and visits, follow-ups and the caseload.

Households (families, people, allocations, protection) stay in ``families``; this package builds on them.
"""
