"""The determinants in the words families use when they ask (the advice log's topics)."""

# Determinant code → plain words; the determinant's own name is the hint beneath.
PLAIN_WORDS = {
    "early_attachment": "Bonding with the baby",
    "early_education": "Nursery and free childcare places",
    "speech_language": "Talking and understanding",
    "home_learning": "Play and learning at home",
    "social_networks": "Meeting other parents, groups to go to",
    "parental_mental_health": "How a parent is feeling",
    "domestic_abuse": "Feeling unsafe at home",
    "drugs_alcohol": "Drink or drugs",
    "family_functioning": "Getting on at home, arguments",
    "aces_trauma": "Something hard that happened",
    "good_job": "Work and jobs",
    "housing": "Housing and rent",
    "parental_education": "Courses and skills for parents",
    "health": "Health",
    "opportunities": "Money, travel and getting out",
}


def plain_words(determinant) -> str:
    return PLAIN_WORDS.get(determinant.code, determinant.name)
