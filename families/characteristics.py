"""The household characteristics recorded on a family (``families.models.Family``), named once.

The family form, the household service and the API list exactly these, in this order, followed by the
consent fields. (The pseudonymised extract, ``families.extracts.HOUSEHOLD_FIELDS``, leaves out the
free-text ``first_language`` on purpose.) The contact fields follow on the family form and in the service.
Funded early education is recorded per child, on ``Person``, not here.
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
# How to reach the family and how it is safe to (from their referral, or asked at the first visit).
CONTACT_FIELDS = ("contact_phone", "contact_email", "safe_contact_channel", "reminders_wanted")
