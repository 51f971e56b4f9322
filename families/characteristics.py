"""The household characteristics recorded on a family (``families.models.Family``), named once.

The family form, the household service and the API list exactly these, in this order, followed by the
consent fields. (The pseudonymised extract, ``families.extracts.HOUSEHOLD_FIELDS``, leaves out the
free-text ``first_language`` on purpose.) Funded early education is recorded per child, on ``Person``, not here.
"""

CHARACTERISTIC_FIELDS = (
    "lone_parent",
    "teenage_parent",
    "parent_no_qualifications",
    "low_income",
    "english_additional_language",
    "first_language",
    "interpreter_needed",
    "ethnicity",
    "disability_in_household",
    "send_in_household",
)
CONSENT_FIELDS = ("consent_given", "consent_given_by", "consent_date", "consent_scope")
