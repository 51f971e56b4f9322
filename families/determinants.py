"""The three impact statements and their determinants (DESIGN §1, report table 2 and §5.1)."""

from django.db import models


class Impact(models.IntegerChoices):
    MILESTONES = 1, "Supporting children to achieve their developmental milestones"
    NEGLECT_OR_HARM = 2, "Preventing more children aged 0-5 from experiencing neglect or emotional harm"
    SOCIAL_MOBILITY = 3, "Increasing social mobility"


# (code, name, impact) — the code is stable and used in data exchange; the order is the report's.
DETERMINANTS = (
    ("early_attachment", "Early attachment", Impact.MILESTONES),
    ("early_education", "Access to high-quality early education", Impact.MILESTONES),
    ("speech_language", "Speech and language", Impact.MILESTONES),
    ("home_learning", "Home learning environment", Impact.MILESTONES),
    ("social_networks", "Social networks that offer support", Impact.MILESTONES),
    ("parental_mental_health", "Parental mental health", Impact.NEGLECT_OR_HARM),
    ("domestic_abuse", "Domestic abuse", Impact.NEGLECT_OR_HARM),
    ("drugs_alcohol", "Drug and alcohol misuse", Impact.NEGLECT_OR_HARM),
    ("family_functioning", "Family functioning, including parental conflict", Impact.NEGLECT_OR_HARM),
    ("aces_trauma", "Adverse childhood experiences and trauma", Impact.NEGLECT_OR_HARM),
    ("good_job", "Access to a good job", Impact.SOCIAL_MOBILITY),
    ("housing", "Housing", Impact.SOCIAL_MOBILITY),
    ("parental_education", "Parental education and skills", Impact.SOCIAL_MOBILITY),
    ("health", "Health (mental and physical)", Impact.SOCIAL_MOBILITY),
    ("opportunities", "Access to opportunities", Impact.SOCIAL_MOBILITY),
)
