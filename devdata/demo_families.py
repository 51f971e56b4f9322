"""Demo families and referrals in every state, for the demo staff to work with.

About two dozen referrals per base team over the last seventeen months, spread
over the localities in proportion to their children under 5 (the last few
weeks' still in the work queues), each worked through the real services (intake,
triage, allocation, first contact, household details, the team around the
family) so that every record is consistent and audited.

The services stamp what they record (decisions, allocations, audit events)
with ``timezone.now()``. So that a referral received in March was also
triaged and allocated in March, and the timescale and overdue flags come out
as they would in real life, every step runs with the clock set to the moment
it happened (``_clock``): all in the past, in time order.

Idempotent: demo referrals carry a referrer email at ``DEMO_REFERRER_DOMAIN``;
when there are any, nothing is created. Deterministic for a given seed.
"""

import random
from collections import Counter, defaultdict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial

import time_machine
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from bases.models import District, Locality, Team
from devdata.demo import DEMO_EMAIL_DOMAIN, refuse_unless_demo_key
from ecfs.errors import ApplicationError
from ecfs.roles import Role, group_name
from ecfs.working_days import add_working_days, is_working_day, working_days_between
from families import services as family_services
from families.models import Determinant, Ethnicity, Family, Person, Professional
from families.rules import name_key
from referrals import services as referral_services
from referrals.models import Referral, Source, TriageDecision

# Why a manager accepted a referral the family had not agreed to (the safeguarding override).
CONSENT_OVERRIDES = (
    "Health visitor reports the baby is losing weight and the home is unsafe: accepted to visit with her.",
    "Police notification of domestic abuse with a newborn in the home: accepted to offer support safely.",
    "Mother has disclosed she is frightened of her partner: accepted; consent to be sought when it is safe to ask.",
)

DEMO_REFERRER_DOMAIN = f"demo.{DEMO_EMAIL_DOMAIN}"
REFERRALS_PER_TEAM = 22
# About seventeen months of referrals: families referred in the months before the last twelve are in support at
# their start, so that through the twelve months there are about as many plans running (and fund applications
# made) each month.
HISTORY_DAYS = 520
REREFERRALS = 6
CO_WORKED_FAMILIES = 12
REALLOCATED_FAMILIES = 4

Decision = TriageDecision.Decision
Reason = TriageDecision.Reason
Kind = Person.Kind
Agency = Professional.Agency

# What happens to each referral, as shares of a team's referrals. The first five are about the last few weeks
# (work queues); the rest are spread over the whole history.
STORY_SHARES = {
    "received_fresh": 5,
    "received_overdue": 4.1,
    "accepted": 7.25,
    "allocated_not_yet_due": 4.55,
    "allocated_contact_overdue": 4.55,
    "allocated": 41.4,
    "signposted": 11.4,
    "stepped_up": 5.2,
    "no_further_action": 8.3,
    "duplicate": 3.1,
    "withdrawn": 5.15,
}

# Names -------------------------------------------------------------------------------------------
# A surname is one form, or (man, woman, girl) where the language inflects it.
Surname = str | tuple[str, str, str]


@dataclass(frozen=True)
class Heritage:
    weight: float
    ethnicities: tuple[str, ...]
    women: tuple[str, ...]
    men: tuple[str, ...]
    girls: tuple[str, ...]
    boys: tuple[str, ...]
    surnames: tuple[Surname, ...]
    languages: tuple[str, ...] = ()
    eal: float = 0.0  # the chance English is not the family's first language
    interpreter: float = 0.0  # the chance an interpreter is needed, when it is not


BRITISH_WOMEN = (
    "Kerry", "Stacey", "Chelsea", "Jade", "Gemma", "Amy", "Laura", "Rebecca", "Leanne", "Danielle", "Shannon",
    "Courtney", "Jessica", "Charlotte", "Hayley", "Kayleigh", "Megan", "Sophie", "Katie", "Emma", "Lauren", "Abbie",
    "Natalie", "Zoe", "Becky", "Toni", "Jodie", "Sian", "Holly", "Ellie",
)  # fmt: skip
BRITISH_MEN = (
    "Ryan", "Lee", "Dean", "Craig", "Jamie", "Ashley", "Liam", "Kyle", "Connor", "Callum", "Jordan", "Daniel", "Luke",
    "Shane", "Wayne", "Scott", "Tom", "Ben", "Josh", "Aaron", "Carl", "Adam", "Matt", "Sam", "Jake",
)  # fmt: skip
BRITISH_GIRLS = (
    "Olivia", "Amelia", "Isla", "Lily", "Ava", "Poppy", "Evie", "Isabella", "Freya", "Rosie", "Daisy", "Willow",
    "Maisie", "Ivy", "Florence", "Millie", "Sienna", "Ruby", "Grace", "Mia", "Harper", "Phoebe", "Matilda", "Esme",
    "Lottie",
)  # fmt: skip
BRITISH_BOYS = (
    "Alfie", "Freddie", "Archie", "Teddy", "Harry", "Oliver", "George", "Leo", "Arthur", "Noah", "Jack", "Charlie",
    "Tommy", "Reggie", "Albie", "Oscar", "Theo", "Jacob", "Ronnie", "Louie", "Finley", "Jaxon", "Harley", "Bobby",
    "Frankie",
)  # fmt: skip
NORFOLK_SURNAMES = (
    "Howes", "Gotts", "Softley", "Buckenham", "Thrower", "Loveday", "Rix", "Bunn", "Utting", "Brundle", "Mace", "Pegg",
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Harrison", "Bales", "Platten", "Bullimore", "Cushion", "Tungate",
    "Larter", "Chapman", "Hewitt", "Eke", "Gedge", "Futter", "Dack", "Kerrison", "Bussey", "Ling", "Mallett", "Riches",
    "Neave", "Youngs", "Sayer", "Lake", "Gooch", "Carter", "Spinks", "Farrow", "Dye", "Thirtle",
)  # fmt: skip

HERITAGES = {
    "british": Heritage(
        75, (Ethnicity.WHITE_BRITISH,), BRITISH_WOMEN, BRITISH_MEN, BRITISH_GIRLS, BRITISH_BOYS, NORFOLK_SURNAMES
    ),
    "not_stated": Heritage(
        2, (Ethnicity.NOT_STATED,), BRITISH_WOMEN, BRITISH_MEN, BRITISH_GIRLS, BRITISH_BOYS, NORFOLK_SURNAMES
    ),
    "irish": Heritage(
        0.8,
        (Ethnicity.WHITE_IRISH,),
        ("Niamh", "Siobhan", "Aoife", "Ciara", "Roisin", "Orla"),
        ("Sean", "Ciaran", "Declan", "Padraig", "Conor"),
        ("Aoife", "Saoirse", "Niamh", "Clodagh", "Erin"),
        ("Cian", "Oisin", "Fionn", "Darragh", "Conor"),
        ("Murphy", "O'Brien", "Kelly", "Byrne", "Walsh", "O'Sullivan", "Doyle"),
    ),
    "traveller": Heritage(
        2.2,
        (Ethnicity.GYPSY_IRISH_TRAVELLER,),
        ("Kathleen", "Bridget", "Mary", "Margaret", "Nora", "Violet", "Lavinia", "Vashti", "Tilly", "Shanice"),
        ("Patrick", "Martin", "John", "Michael", "Tom", "Levi", "Jimmy", "Henry", "Nelson", "Gilbert"),
        ("Kathleen", "Bridget", "Mary", "Violet", "Tilly", "Maggie", "Roseanne", "Priscilla"),
        ("Levi", "Noah", "Tommy", "Johnny", "Paddy", "Frankie", "Jimmy", "Henry", "Joe", "Elijah"),
        ("Smith", "Lee", "Price", "Boswell", "Loveridge", "Doran", "McDonagh", "Ward", "Joyce", "Maughan", "Stokes"),
    ),
    "roma": Heritage(
        0.8,
        (Ethnicity.ROMA,),
        ("Maria", "Elena", "Denisa", "Andreea", "Florentina", "Claudia", "Renata", "Vanesa"),
        ("Ion", "Marian", "Florin", "Adrian", "Dorin", "Gheorghe", "Milan", "Jozef"),
        ("Maria", "Bianca", "Alexandra", "Daria", "Sara", "Nikola"),
        ("Denis", "David", "Alexandru", "Ionuț", "Patrik", "Samuel"),
        ("Stoica", "Balog", "Oláh", "Horváth", "Dumitru", "Rostaș", "Lăcătuș", "Kotlár"),
        ("Romanes", "Romanian", "Slovak"),
        eal=0.85,
        interpreter=0.5,
    ),
    "polish": Heritage(
        4.5,
        (Ethnicity.WHITE_OTHER,),
        ("Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Monika", "Aleksandra", "Natalia", "Paulina", "Ewelina"),
        ("Tomasz", "Marcin", "Piotr", "Krzysztof", "Paweł", "Łukasz", "Michał", "Kamil", "Damian", "Mateusz"),
        ("Zuzanna", "Julia", "Maja", "Hanna", "Lena", "Oliwia", "Zofia", "Amelia"),
        ("Jakub", "Antoni", "Szymon", "Filip", "Franciszek", "Aleksander", "Nikodem", "Kacper"),
        (
            "Nowak",
            "Wójcik",
            "Kowalczyk",
            "Woźniak",
            "Mazur",
            "Krawczyk",
            "Zając",
            "Król",
            ("Kowalski", "Kowalska", "Kowalska"),
            ("Wiśniewski", "Wiśniewska", "Wiśniewska"),
            ("Lewandowski", "Lewandowska", "Lewandowska"),
            ("Kamiński", "Kamińska", "Kamińska"),
        ),
        ("Polish",),
        eal=0.8,
        interpreter=0.25,
    ),
    "lithuanian": Heritage(
        2.8,
        (Ethnicity.WHITE_OTHER,),
        ("Rūta", "Inga", "Jurgita", "Kristina", "Aistė", "Eglė", "Greta", "Vaida"),
        ("Tomas", "Mindaugas", "Darius", "Andrius", "Marius", "Paulius", "Vytautas"),
        ("Emilija", "Gabija", "Ugnė", "Austėja", "Kamilė", "Lėja"),
        ("Lukas", "Matas", "Jokūbas", "Dominykas", "Nojus", "Benas"),
        (
            ("Kazlauskas", "Kazlauskienė", "Kazlauskaitė"),
            ("Jankauskas", "Jankauskienė", "Jankauskaitė"),
            ("Petrauskas", "Petrauskienė", "Petrauskaitė"),
            ("Stankevičius", "Stankevičienė", "Stankevičiūtė"),
            ("Vasiliauskas", "Vasiliauskienė", "Vasiliauskaitė"),
            ("Žukauskas", "Žukauskienė", "Žukauskaitė"),
        ),
        ("Lithuanian", "Lithuanian", "Russian"),
        eal=0.85,
        interpreter=0.3,
    ),
    "portuguese": Heritage(
        3,
        (Ethnicity.WHITE_OTHER,),
        ("Ana", "Mariana", "Catarina", "Sofia", "Inês", "Beatriz", "Joana", "Patrícia", "Sandra"),
        ("João", "Pedro", "Tiago", "Rui", "Miguel", "Ricardo", "Bruno", "Nuno"),
        ("Matilde", "Leonor", "Carolina", "Alice", "Benedita", "Maria"),
        ("Santiago", "Francisco", "Afonso", "Tomás", "Duarte", "Martim"),
        ("Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Fernandes"),
        ("Portuguese",),
        eal=0.8,
        interpreter=0.35,
    ),
    "romanian": Heritage(
        1.5,
        (Ethnicity.WHITE_OTHER,),
        ("Ioana", "Elena", "Andreea", "Mihaela", "Cristina", "Alina"),
        ("Andrei", "Mihai", "Alexandru", "Ionuț", "Cristian", "Bogdan"),
        ("Sofia", "Maria", "Ana", "Ioana", "Daria", "Eva"),
        ("David", "Luca", "Matei", "Ștefan", "Andrei", "Rareș"),
        ("Popescu", "Ionescu", "Popa", "Constantin", "Stan", "Munteanu", "Lungu"),
        ("Romanian",),
        eal=0.85,
        interpreter=0.3,
    ),
    "mixed": Heritage(
        4,
        (
            Ethnicity.MIXED_WHITE_BLACK_CARIBBEAN,
            Ethnicity.MIXED_WHITE_BLACK_AFRICAN,
            Ethnicity.MIXED_WHITE_ASIAN,
            Ethnicity.MIXED_OTHER,
        ),
        BRITISH_WOMEN,
        BRITISH_MEN,
        BRITISH_GIRLS + ("Amara", "Nia", "Aaliyah", "Layla"),
        BRITISH_BOYS + ("Kai", "Malachi", "Zayn", "Elijah"),
        NORFOLK_SURNAMES + ("Campbell", "Mensah", "Okafor", "Khan", "Grant"),
    ),
    "indian": Heritage(
        1.2,
        (Ethnicity.INDIAN,),
        ("Priya", "Anjali", "Sunita", "Pooja", "Neha", "Kiran", "Harpreet"),
        ("Ravi", "Sanjay", "Arjun", "Vikram", "Rajesh", "Amit", "Gurpreet"),
        ("Riya", "Anaya", "Diya", "Aanya", "Saanvi", "Myra"),
        ("Aarav", "Vihaan", "Reyansh", "Kabir", "Arjun", "Dev"),
        ("Patel", "Sharma", "Singh", "Gill", "Mistry", "Shah", "Desai"),
        ("Gujarati", "Punjabi", "Hindi", "Tamil"),
        eal=0.6,
        interpreter=0.2,
    ),
    "pakistani": Heritage(
        0.5,
        (Ethnicity.PAKISTANI,),
        ("Ayesha", "Nazia", "Sadia", "Shazia", "Rukhsana", "Hina", "Amina"),
        ("Imran", "Adeel", "Tariq", "Shahid", "Asif", "Usman", "Bilal"),
        ("Zara", "Maryam", "Inaya", "Hafsa", "Aisha", "Eshaal"),
        ("Ibrahim", "Hamza", "Yusuf", "Ayaan", "Musa", "Zayn"),
        ("Khan", "Hussain", "Ahmed", "Akhtar", "Iqbal", "Malik", "Butt"),
        ("Urdu", "Punjabi", "Pashto"),
        eal=0.6,
        interpreter=0.2,
    ),
    "bangladeshi": Heritage(
        0.6,
        (Ethnicity.BANGLADESHI,),
        ("Nasrin", "Fatema", "Rokeya", "Shirin", "Taslima", "Sultana"),
        ("Rahim", "Kamal", "Abdul", "Jamal", "Shafiq", "Faruk"),
        ("Safa", "Aliza", "Ayesha", "Nusrat", "Tasnim"),
        ("Rayan", "Arham", "Zayan", "Ismail", "Arif"),
        ("Rahman", "Uddin", "Miah", "Islam", "Ali", "Chowdhury", "Hoque"),
        ("Bengali", "Sylheti"),
        eal=0.65,
        interpreter=0.3,
    ),
    "chinese": Heritage(
        0.5,
        (Ethnicity.CHINESE,),
        ("Mei", "Li Na", "Xiu Ying", "Wen", "Hui", "Lan"),
        ("Wei", "Jun", "Hao", "Lei", "Ming", "Jian"),
        ("Chloe", "Emily", "Yu Xuan", "Zi Han", "Ruby"),
        ("Ethan", "Lucas", "Hao Yu", "Zi Xuan", "Ryan"),
        ("Chen", "Wang", "Li", "Zhang", "Liu", "Huang", "Wong"),
        ("Mandarin", "Cantonese"),
        eal=0.7,
        interpreter=0.25,
    ),
    "african": Heritage(
        1.8,
        (Ethnicity.AFRICAN,),
        ("Chiamaka", "Blessing", "Amara", "Ifeoma", "Fatou", "Esther", "Adaeze", "Tendai", "Abena"),
        ("Chinedu", "Kwame", "Emeka", "Tunde", "Samuel", "Kofi", "Tinashe", "Femi"),
        ("Favour", "Precious", "Ada", "Amara", "Zion", "Grace", "Chidera"),
        ("David", "Daniel", "Tobi", "Ethan", "Jayden", "Kelechi"),
        ("Okafor", "Adeyemi", "Mensah", "Okonkwo", "Osei", "Nwosu", "Mutasa", "Banda", "Moyo", "Adebayo"),
        ("Yoruba", "Igbo", "Shona", "Twi", "French"),
        eal=0.35,
        interpreter=0.1,
    ),
    "caribbean": Heritage(
        0.6,
        (Ethnicity.CARIBBEAN,),
        BRITISH_WOMEN,
        BRITISH_MEN,
        BRITISH_GIRLS,
        BRITISH_BOYS,
        ("Campbell", "Grant", "Francis", "Thompson", "Clarke", "Reid", "Williams"),
    ),
    "arab": Heritage(
        0.6,
        (Ethnicity.ARAB,),
        ("Noor", "Layla", "Rania", "Huda", "Amal", "Rasha"),
        ("Ahmad", "Omar", "Khaled", "Yousef", "Mahmoud", "Sami"),
        ("Lina", "Jana", "Maryam", "Sara", "Talia"),
        ("Adam", "Yusuf", "Omar", "Karim", "Zaid"),
        ("Haddad", "Mansour", "Khalil", "Al-Hassan", "Saleh", "Nasser"),
        ("Arabic",),
        eal=0.9,
        interpreter=0.5,
    ),
}
# Where families who came to work in Norfolk's food and logistics industries settled, and the city.
EUROPEAN_TOWNS = {"Great Yarmouth", "Gorleston", "King's Lynn", "Thetford", "Downham Market", "Dereham"}
EUROPEAN_HERITAGES = {"polish", "lithuanian", "portuguese", "romanian"}
CITY_HERITAGES = {"mixed", "indian", "pakistani", "bangladeshi", "chinese", "african", "caribbean", "arab"}

PROFESSIONAL_FIRST = (
    "Jo", "Sam", "Claire", "Helen", "Sarah", "Rachel", "Nicola", "Lisa", "Mark", "Paul", "David", "Karen", "Julie",
    "Priya", "Amira", "Tom", "Fiona", "Gill", "Jenny", "Steve", "Kate", "Andy", "Louise", "Anna",
)  # fmt: skip
PROFESSIONAL_LAST = (
    "Hart", "Bishop", "Fenn", "Moore", "Knights", "Sutton", "Green", "Hall", "Ward", "Cooper", "Bailey", "Reeve",
    "Haines", "Sharma", "Nowak", "Grimes", "Day", "Page", "Marsh", "Garrod", "Seago", "Rudd", "Bird", "Pointer",
)  # fmt: skip

# Places ------------------------------------------------------------------------------------------
# The town written on the address, and outward postcodes, for each locality of the reference data.
LOCALITY_PLACES = {
    "Attleborough": ("Attleborough", ("NR17",)),
    "Aylsham": ("Aylsham", ("NR11",)),
    "Cromer": ("Cromer", ("NR27",)),
    "Dereham": ("Dereham", ("NR19", "NR20")),
    "Diss": ("Diss", ("IP22",)),
    "Downham Market": ("Downham Market", ("PE38",)),
    "Fakenham": ("Fakenham", ("NR21",)),
    "Gorleston": ("Gorleston", ("NR31",)),
    "Great Yarmouth": ("Great Yarmouth", ("NR30",)),
    "Holt": ("Holt", ("NR25",)),
    "Hunstanton": ("Hunstanton", ("PE36",)),
    "King's Lynn": ("King's Lynn", ("PE30", "PE30", "PE34")),
    "Loddon": ("Loddon", ("NR14",)),
    "Long Stratton": ("Long Stratton", ("NR15",)),
    "North Walsham": ("North Walsham", ("NR28",)),
    "North Norwich": ("Norwich", ("NR3", "NR6")),
    "East Norwich": ("Norwich", ("NR1", "NR7")),
    "West Norwich": ("Norwich", ("NR2", "NR5")),
    "South Norwich": ("Norwich", ("NR4", "NR1")),
    "Redenhall with Harleston": ("Harleston", ("IP20",)),
    "Sheringham": ("Sheringham", ("NR26",)),
    "Stalham": ("Stalham", ("NR12",)),
    "Swaffham": ("Swaffham", ("PE37",)),
    "Thetford": ("Thetford", ("IP24",)),
    "Watton": ("Watton", ("IP25",)),
    "Wells-next-the-Sea": ("Wells-next-the-Sea", ("NR23",)),
    "Wroxham and Hoveton": ("Hoveton", ("NR12",)),
    "Wymondham": ("Wymondham", ("NR18",)),
}
# Villages outside the market towns (the "Other" locality), by district.
VILLAGES = {
    "Breckland": (
        ("Mattishall", "NR20"), ("Shipdham", "IP25"), ("Necton", "PE37"), ("East Harling", "NR16"),
        ("Mundford", "IP26"), ("Swanton Morley", "NR20"), ("Narborough", "PE32"),
    ),
    "Broadland": (
        ("Acle", "NR13"), ("Sprowston", "NR7"), ("Hellesdon", "NR6"), ("Taverham", "NR8"), ("Drayton", "NR8"),
        ("Reepham", "NR10"), ("Brundall", "NR13"), ("Coltishall", "NR12"),
    ),
    "Great Yarmouth": (
        ("Caister-on-Sea", "NR30"), ("Bradwell", "NR31"), ("Hemsby", "NR29"), ("Martham", "NR29"),
        ("Belton", "NR31"), ("Ormesby St Margaret", "NR29"),
    ),
    "King's Lynn and West Norfolk": (
        ("Terrington St Clement", "PE34"), ("Dersingham", "PE31"), ("Heacham", "PE31"), ("Watlington", "PE33"),
        ("Clenchwarton", "PE34"), ("Gayton", "PE32"), ("Marham", "PE33"),
    ),
    "North Norfolk": (
        ("Mundesley", "NR11"), ("Briston", "NR24"), ("Melton Constable", "NR24"), ("Ludham", "NR29"),
        ("Blakeney", "NR25"), ("Overstrand", "NR27"), ("Catfield", "NR29"),
    ),
    "Norwich": (("Norwich", "NR1"), ("Norwich", "NR2"), ("Norwich", "NR3"), ("Norwich", "NR5"), ("Norwich", "NR6")),
    "South Norfolk": (
        ("Hethersett", "NR9"), ("Costessey", "NR8"), ("Poringland", "NR14"), ("Hingham", "NR9"),
        ("Mulbarton", "NR14"), ("Pulham Market", "IP21"), ("Bunwell", "NR16"), ("Cringleford", "NR4"),
    ),
}  # fmt: skip
STREETS = (
    "The Street", "Church Lane", "Station Road", "Mill Road", "School Lane", "Norwich Road", "Market Place",
    "Victoria Road", "Queens Road", "Beech Close", "Orchard Way", "Priory Road", "Kings Road", "Common Lane",
    "Manor Road", "Jubilee Close", "Windmill Way", "Malthouse Lane", "Chapel Street", "High Street", "London Road",
    "Nelson Road", "Gladstone Road", "Peddars Way", "Saxon Close", "Heron Way", "Harvest Close", "Wherry Road",
    "Kestrel Drive", "Poplar Avenue", "Tennyson Way", "Cromwell Road",
)  # fmt: skip
# Inward codes never use C, I, K, M, O or V.
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
HOSPITALS = {
    "Great Yarmouth": "James Paget University Hospitals",
    "King's Lynn and West Norfolk": "Queen Elizabeth Hospital King's Lynn",
}
NORWICH_HOSPITAL = "Norfolk and Norwich University Hospitals"
COUNCILS = {
    "Breckland": "Breckland Council",
    "Broadland": "Broadland District Council",
    "Great Yarmouth": "Great Yarmouth Borough Council",
    "King's Lynn and West Norfolk": "Borough Council of King's Lynn and West Norfolk",
    "North Norfolk": "North Norfolk District Council",
    "Norwich": "Norwich City Council",
    "South Norfolk": "South Norfolk Council",
}

# What referrers write -----------------------------------------------------------------------------
DETERMINANT_WEIGHTS = {
    "parental_mental_health": 16,
    "social_networks": 13,
    "early_attachment": 9,
    "speech_language": 9,
    "housing": 9,
    "family_functioning": 8,
    "domestic_abuse": 7,
    "home_learning": 6,
    "health": 6,
    "early_education": 5,
    "good_job": 4,
    "parental_education": 4,
    "opportunities": 4,
    "aces_trauma": 4,
    "drugs_alcohol": 3,
}
REASON_DETAILS = {
    "early_attachment": "{parent} is struggling to bond with {child} and says the crying feels relentless.",
    "early_education": "{eldest} could have a funded early education place but {parent} is unsure how to find one.",
    "speech_language": "{eldest} has very few words for their age; nursery has raised concerns about understanding.",
    "home_learning": "Few toys or books at home; {parent} would like ideas for play and daily routines.",
    "social_networks": "{parent} is isolated since moving to the area and has no family nearby.",
    "parental_mental_health": "{parent} has had low mood and anxiety since {child} was born and is under the GP.",
    "domestic_abuse": "History of domestic abuse from a former partner; {parent} has moved and wants support.",
    "drugs_alcohol": "Alcohol use in the household is affecting routines; {parent} wants help to make changes.",
    "family_functioning": "Frequent arguments between the parents in front of the children; both want to change this.",
    "aces_trauma": "{parent} was in care as a child and is worried about repeating the same patterns.",
    "good_job": "{parent} wants to return to work but cannot find childcare that fits shift work.",
    "housing": "Overcrowded private rented flat with damp; the landlord has served notice.",
    "parental_education": "{parent} left school without qualifications and finds letters and forms hard to read.",
    "health": "{child} has a long-term health condition with many hospital appointments; {parent} is exhausted.",
    "opportunities": "The family live rurally with no car and cannot get to groups or the base.",
}
# When the only child is not born yet, a lone parent, a family on a Traveller site.
UNBORN_REASON_DETAILS = {
    "early_attachment": "{parent} is anxious about bonding with the baby and has no support lined up for the birth.",
    "parental_mental_health": "{parent} has had low mood and anxiety during the pregnancy and is under the GP.",
    "health": "{parent} has a high-risk pregnancy with many hospital appointments.",
    "home_learning": "First baby: {parent} would like ideas for play and routines for when the baby arrives.",
}
LONE_PARENT_CONFLICT = "Conflict with the children's other parent at handovers is upsetting the children."
PITCH_HOUSING = "The family's pitch is overcrowded and they are waiting for a larger plot."
# The eldest child's age in days before these make sense.
DETERMINANT_MIN_AGE_DAYS = {"speech_language": 540, "early_education": 730}
DECISION_NOTES = {
    Reason.MEETS_THRESHOLD: (
        "Needs in several areas and the family want support: accept for tier 2.",
        "Parent keen to engage; needs are above universal services. Accept for tier 2.",
        "Discussed with the referrer: meets the threshold for targeted family support.",
    ),
    Reason.INFORMATION_ADVICE: (
        "Information about local groups and the family information service sent to the family.",
        "Parent given advice by phone; no ongoing support needed.",
    ),
    Reason.COMMUNITY_GROUPS: (
        "Signposted to the Stay and Play and baby groups at the base.",
        "Needs can be met by universal groups; timetable sent to the family.",
    ),
    Reason.OTHER_SERVICE: (
        "Health visiting is better placed; referrer informed.",
        "Housing advice needed first: signposted to the district council's housing options team.",
    ),
    Reason.FAMILY_FOCUS: ("Needs above tier 2: referred to Family Focus with consent.",),
    Reason.SOCIAL_CARE: ("Safeguarding concerns: passed to the Children's Advice and Duty Service (CADS).",),
    Reason.NEEDS_MET: ("Already supported by the health visitor and nursery: needs are being met.",),
    Reason.NO_IDENTIFIED_NEED: ("Spoke with the family: no additional needs identified at present.",),
    Reason.CONSENT_DECLINED: ("Parent does not want support at the moment; told how to self-refer later.",),
    Reason.UNABLE_TO_CONTACT: ("Three calls, a text and a letter with no response; referrer informed.",),
    Reason.ALREADY_OPEN: ("Family already open to the service: passed to the lead worker.",),
    Reason.REFERRER_WITHDREW: ("Referrer withdrew the referral after speaking with the family.",),
    Reason.FAMILY_WITHDREW: ("Parent says things have settled and no longer wants support.",),
    Reason.MOVED_AWAY: ("Family have moved out of Norfolk; details passed to the new area's health visitor.",),
}
CO_WORKING_REASONS = (
    "Joint home visits while the family is settling in",
    "Second worker to run the parenting programme sessions",
    "Co-working to cover the lead worker's part-time hours",
)
REALLOCATION_REASONS = (
    "Caseloads rebalanced after a new starter joined the team",
    "Family asked for a different worker",
    "Lead worker on long-term leave",
    "Family moved to the other side of the district",
)
BEST_TIMES = ("Weekday mornings", "After school drop-off", "Afternoons after 1pm", "Not Wednesdays", "", "", "")
SAFE_CONTACT_NOTES = (
    "Text the mobile first and wait for a reply; do not leave voicemails.",
    "Contact only when the partner is at work (weekday daytimes); do not send letters to the home.",
)


# The clock ---------------------------------------------------------------------------------------


@contextmanager
def _clock(moment: datetime):
    """Run service calls as if at ``moment``: the services stamp what they record with ``timezone.now()``.

    The clock stands still at ``moment`` (``tick=False``) for the whole step, as every stamp of one step is the
    same instant; time-machine moves ``timezone.now()``, ``date.today()`` and ``time.time()`` alike, and only
    inside this block.
    """
    with time_machine.travel(moment, tick=False):
        yield


def latest_this_morning(today: date) -> datetime:
    """The latest moment of ``today`` a demo record is stamped with: 9 o'clock, or just before now when the demo is
    made earlier than that (nothing is recorded in the future). Naive, local time."""
    now = timezone.localtime().replace(tzinfo=None, microsecond=0) - timedelta(seconds=1)
    return min(datetime.combine(today, time(9)), now)


# Planning ----------------------------------------------------------------------------------------


@dataclass
class Household:
    heritage: Heritage
    ethnicity: str
    people: list[dict]
    parent_first: str
    parent_last: str
    child_first: str
    born: list[tuple[str, date]]  # the children under 5, youngest first: (first name, date of birth)
    lone_parent: bool
    teenage_parent: bool
    language: str
    interpreter: bool
    address_line_1: str
    address_line_2: str
    town: str
    postcode: str


@dataclass
class Story:
    """One referral's life, planned up front, then played through the services in time order."""

    kind: str
    team: Team
    district: District
    locality: Locality
    household: Household | None = None
    received_at: datetime | None = None
    allocated_at: datetime | None = None
    first_contact_at: datetime | None = None
    last: datetime | None = None
    lead: object = None
    rereferral: bool = False
    duplicated: bool = False
    consent: bool = True
    referral: Referral | None = None
    family: Family | None = None
    reasons: list[str] = field(default_factory=list)


def _apportion(weights: dict, total: int, rng: random.Random | None = None) -> dict:
    """Split ``total`` in proportion to ``weights`` (largest remainder; ties broken by ``rng`` when given)."""
    whole = sum(weights.values())
    quotas = {key: total * weight / whole for key, weight in weights.items()}
    counts = {key: int(quota) for key, quota in quotas.items()}
    jitter = {key: rng.uniform(0, 0.3) if rng else 0 for key in weights}
    short = total - sum(counts.values())
    for key in sorted(quotas, key=lambda k: counts[k] - quotas[k] - jitter[k])[:short]:
        counts[key] += 1
    return counts


class _Seeder:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.tz = timezone.get_current_timezone()
        self.triage_days = settings.ECFS_TRIAGE_DUE_WORKING_DAYS
        self.contact_days = settings.ECFS_FIRST_CONTACT_DUE_WORKING_DAYS
        self.determinants = {d.code: d for d in Determinant.objects.all()}
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.caseload: Counter = Counter()
        self.teams, self.workers = self._teams()
        self.emails: Counter = Counter()

    # Staff and places -----------------------------------------------------------------------

    def _teams(self):
        User = get_user_model()
        teams = list(
            Team.objects.filter(manager__email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
            .select_related("base__district", "manager")
            .order_by("name")
        )
        workers = {
            team.pk: list(
                User.objects.filter(
                    staff_profile__team=team, groups__name=group_name(Role.WORKER), is_active=True
                ).order_by("email")
            )
            for team in teams
        }
        teams = [team for team in teams if workers[team.pk]]
        if not teams:
            raise ApplicationError("Create the demo staff first: there are no demo teams with workers.")
        return teams, workers

    def _cells(self) -> list[tuple[Team, District, Locality]]:
        """Every referral's team, district and locality: localities in proportion to their children under 5."""
        by_district = defaultdict(list)
        for team in self.teams:
            by_district[team.base.district].append(team)
        districts = sorted(by_district, key=lambda d: d.name)
        weights = {}
        localities = {}
        for locality in Locality.objects.order_by("name"):
            localities[locality.name] = locality
            if locality.district_id is None:  # "Other": the rest of the county, in every district
                for district in districts:
                    weights[(district.name, locality.name)] = locality.under_5 / len(districts)
            elif locality.district in by_district:
                weights[(locality.district.name, locality.name)] = locality.under_5
        counts = _apportion(weights, REFERRALS_PER_TEAM * len(self.teams))
        cells = []
        for district in districts:
            places = [
                localities[name]
                for (district_name, name), n in sorted(counts.items())
                if district_name == district.name
                for _ in range(n)
            ]
            self.rng.shuffle(places)
            teams = by_district[district]
            cells += [(teams[i % len(teams)], district, locality) for i, locality in enumerate(places)]
        return cells

    def _address(self, district: District, locality: Locality, heritage_key: str) -> tuple[str, str, str, str]:
        rng = self.rng
        if locality.is_other or locality.name not in LOCALITY_PLACES:
            town, outward = rng.choice(VILLAGES.get(district.name, (("Norwich", "NR1"),)))
        else:
            town, outwards = LOCALITY_PLACES[locality.name]
            outward = rng.choice(outwards)
        postcode = f"{outward} {rng.randint(1, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
        street = rng.choice(STREETS)
        if heritage_key == "traveller" and rng.random() < 0.6:
            site = rng.choice(("Oak Tree Park", "Meadow View Site", "The Paddocks"))
            return f"Plot {rng.randint(1, 24)}", site, town, postcode
        if rng.random() < 0.2:
            return f"Flat {rng.randint(1, 12)}, {rng.randint(1, 90)} {street}", "", town, postcode
        return f"{rng.randint(1, 140)} {street}", "", town, postcode

    # Time -------------------------------------------------------------------------------------

    def _moment(self, day: date) -> datetime:
        minutes = self.rng.randint(8 * 60 + 30, 17 * 60 + 30)
        return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=self.tz)

    def _day_ago(self, low: int, high: int) -> date:
        day = self.today - timedelta(days=self.rng.randint(low, high))
        while not is_working_day(day) and self.rng.random() < 0.85:  # most referrals come in on working days
            day -= timedelta(days=1)
        return day

    def _after(self, earlier: datetime, working_days: int = 0) -> datetime:
        """A moment in office hours ``working_days`` after ``earlier``, always after it and before now."""
        day = timezone.localtime(earlier).date()
        if working_days:
            day = add_working_days(day, working_days)
        moment = self._moment(day)
        if moment <= earlier:
            moment = earlier + timedelta(minutes=self.rng.randint(10, 120))
        latest = self.now - timedelta(minutes=5)
        if moment >= latest:
            moment = earlier + (latest - earlier) * self.rng.uniform(0.3, 0.7)
        return moment

    def _soon(self, earlier: datetime) -> datetime:
        moment = earlier + timedelta(minutes=self.rng.randint(3, 25))
        return moment if moment < self.now else earlier + (self.now - earlier) / 2

    def _triage_gap(self) -> int:
        return self.rng.choices((0, 1, 2, 3, 4, 5, 6), weights=(22, 34, 24, 10, 5, 3, 2))[0]

    def _at(self, moment: datetime, action: Callable[[], None], story: Story) -> datetime:
        assert story.last is None or moment > story.last, "a story's steps must be in time order"
        self.steps.append((moment, len(self.steps), action))
        story.last = moment
        return moment

    # People -----------------------------------------------------------------------------------

    def _heritage(self, locality: Locality) -> tuple[str, Heritage]:
        names = list(HERITAGES)
        weights = []
        for name in names:
            weight = HERITAGES[name].weight
            if name in EUROPEAN_HERITAGES and locality.name in EUROPEAN_TOWNS:
                weight *= 3
            if name in CITY_HERITAGES and locality.name.endswith("Norwich"):
                weight *= 2.5
            weights.append(weight)
        name = self.rng.choices(names, weights=weights)[0]
        return name, HERITAGES[name]

    @staticmethod
    def _surname(spec: Surname, *, man: bool, adult: bool = True) -> str:
        if isinstance(spec, str):
            return spec
        return spec[0] if man else spec[1] if adult else spec[2]

    def _household(self, story: Story, first_received: date) -> Household:
        rng = self.rng
        key, heritage = self._heritage(story.locality)
        surname = rng.choice(heritage.surnames)
        roll = rng.random()
        carers = ("father",) if roll < 0.04 else ("mother",) if roll < 0.46 else ("mother", "father")
        teenage = carers[0] == "mother" and rng.random() < (0.14 if len(carers) == 1 else 0.06)
        main_age = rng.randint(16, 19) if teenage else round(rng.triangular(20, 44, 29))
        people = []
        main_is_man = carers[0] == "father"
        used: set[str] = set()
        main_first = self._first_name(heritage.men if main_is_man else heritage.women, used)
        main_last = self._surname(surname, man=main_is_man)
        people.append(self._adult(main_first, main_last, main_age, first_received))
        child_surname = surname
        if len(carers) == 2:
            partner_surname = surname if not isinstance(surname, str) or rng.random() < 0.7 else None
            partner_surname = partner_surname or rng.choice(heritage.surnames)
            partner_age = min(45, max(17, main_age + rng.randint(-2, 8)))
            people.append(
                self._adult(
                    self._first_name(heritage.men, used),
                    self._surname(partner_surname, man=True),
                    partner_age,
                    first_received,
                )
            )
            child_surname = partner_surname if rng.random() < 0.6 else surname

        # Children under 5, youngest first; a baby on the way for some recent referrals.
        lowest_dob = self.today - relativedelta(years=5) + timedelta(days=14)
        oldest_days = min((first_received - lowest_dob).days, max(0, main_age - 16) * 365 + 300)
        n_children = rng.choices((1, 2, 3), weights=(55, 33, 12))[0]
        expected_latest = min(
            self.today + timedelta(days=240), first_received + relativedelta(months=10) - timedelta(days=7)
        )
        unborn = (
            expected_latest >= self.today + timedelta(days=30)
            and first_received >= self.today - timedelta(days=150)
            and (rng.random() < (0.5 if teenage else 0.2) or oldest_days < 7)
        )
        children = []
        if unborn:
            expected = self.today + timedelta(days=rng.randint(30, (expected_latest - self.today).days))
            children.append({"kind": Kind.UNBORN, "first_name": "Unborn", "expected_date": expected})
            n_children -= 1
        age_days = rng.choice(((7, 180), (7, 180), (180, 365), (365, 730), (730, 1095), (1095, 1460), (1460, 1800)))
        age = rng.randint(*age_days)
        for _ in range(n_children):
            if age > oldest_days or age < 7:
                break
            boy = rng.random() < 0.5
            children.append(
                {
                    "kind": Kind.CHILD,
                    "first_name": self._first_name(heritage.boys if boy else heritage.girls, used),
                    "date_of_birth": first_received - timedelta(days=age),
                    "boy": boy,
                }
            )
            age += rng.randint(420, 900)
        if not children:  # a baby, for a young parent too
            boy = rng.random() < 0.5
            children.append(
                {
                    "kind": Kind.CHILD,
                    "first_name": self._first_name(heritage.boys if boy else heritage.girls, used),
                    "date_of_birth": first_received - timedelta(days=rng.randint(7, max(7, min(oldest_days, 200)))),
                    "boy": boy,
                }
            )
        if main_age >= 26 and rng.random() < 0.12:
            boy = rng.random() < 0.5
            children.append(
                {
                    "kind": Kind.OLDER_CHILD,
                    "first_name": self._first_name(heritage.boys if boy else heritage.girls, used),
                    "date_of_birth": first_received - timedelta(days=rng.randint(6 * 365 + 30, 10 * 365)),
                    "boy": boy,
                }
            )
        for child in children:
            boy = child.pop("boy", True)
            child["last_name"] = self._surname(child_surname, man=boy, adult=False)
            people.append(child)

        language, interpreter = "", False
        if heritage.languages and rng.random() < heritage.eal:
            language = rng.choice(heritage.languages)
            interpreter = rng.random() < heritage.interpreter
        address_line_1, address_line_2, town, postcode = self._address(story.district, story.locality, key)
        named_child = next((p for p in people if p["kind"] == Kind.CHILD), None)
        return Household(
            heritage=heritage,
            ethnicity=rng.choice(heritage.ethnicities),
            people=people,
            parent_first=main_first,
            parent_last=main_last,
            child_first=named_child["first_name"] if named_child else "the baby",
            born=[(p["first_name"], p["date_of_birth"]) for p in people if p["kind"] == Kind.CHILD],
            lone_parent=len(carers) == 1,
            teenage_parent=teenage,
            language=language,
            interpreter=interpreter,
            address_line_1=address_line_1,
            address_line_2=address_line_2,
            town=town,
            postcode=postcode,
        )

    def _first_name(self, names: tuple[str, ...], used: set[str]) -> str:
        """A name no one else in the household has."""
        name = self.rng.choice([name for name in names if name not in used] or names)
        used.add(name)
        return name

    def _adult(self, first: str, last: str, age: int, on: date) -> dict:
        person = {"kind": Kind.PARENT_CARER, "first_name": first, "last_name": last}
        if self.rng.random() < 0.9:
            person["date_of_birth"] = on - relativedelta(years=age) - timedelta(days=self.rng.randint(0, 360))
        return person

    def _email(self, first: str, last: str) -> str:
        local = f"{name_key(first)}.{name_key(last)}"
        self.emails[local] += 1
        suffix = self.emails[local] if self.emails[local] > 1 else ""
        return f"{local}{suffix}@{DEMO_REFERRER_DOMAIN}"

    def _professional_name(self) -> tuple[str, str]:
        return self.rng.choice(PROFESSIONAL_FIRST), self.rng.choice(PROFESSIONAL_LAST)

    def _phone(self) -> str:
        # Ofcom's numbers for drama: they never ring anyone.
        if self.rng.random() < 0.5:
            return f"07700 900{self.rng.randint(0, 999):03d}"
        return f"01632 960{self.rng.randint(0, 999):03d}"

    # The referral -------------------------------------------------------------------------------

    def _referrer(self, story: Story, source: str) -> dict:
        rng = self.rng
        household = story.household
        town = household.town
        district = story.district.name
        first, last = self._professional_name()
        name = f"{first} {last}"
        via = rng.choice((Referral.ReceivedVia.EMAIL, Referral.ReceivedVia.PHONE))
        agency, role = {
            Source.HEALTH_VISITOR: ("Norfolk Healthy Child Programme", "Health visitor"),
            Source.MIDWIFE: (HOSPITALS.get(district, NORWICH_HOSPITAL), "Community midwife"),
            Source.SCHOOL: (f"{town} Primary School", rng.choice(("Designated safeguarding lead", "Family liaison"))),
            Source.NURSERY: (f"{town} Pre-school", rng.choice(("Manager", "SENCo", "Key person"))),
            Source.GP: (f"{town} Health Centre", "GP"),
            Source.SOCIAL_CARE: ("Norfolk County Council Children's Services", "Social worker (step-down)"),
            Source.POLICE: ("Norfolk Constabulary", rng.choice(("PCSO", "Operation Encompass officer"))),
            Source.SINGLE_PHONE_LINE: ("Children's Advice and Duty Service (CADS)", "Consultant social worker"),
            Source.OTHER: (rng.choice(("Home-Start", "Citizens Advice", COUNCILS[district])), "Support worker"),
        }.get(source, ("", ""))
        if source == Source.GP:
            name = f"Dr {first} {last}"
        if source in (Source.HEALTH_VISITOR, Source.MIDWIFE):
            via = rng.choice((Referral.ReceivedVia.EMAIL, Referral.ReceivedVia.PARTNER_SYSTEM))
        if source == Source.SINGLE_PHONE_LINE:
            via = Referral.ReceivedVia.SINGLE_PHONE_LINE
        if source == Source.SELF:
            first, last = household.parent_first, household.parent_last
            name, agency, role = f"{first} {last}", "", "Parent"
            via = rng.choice((Referral.ReceivedVia.PHONE, Referral.ReceivedVia.IN_PERSON, Referral.ReceivedVia.EMAIL))
        return {
            "source": source,
            "received_via": via,
            "referrer_name": name,
            "referrer_agency": agency,
            "referrer_role": role,
            "referrer_phone": self._phone(),
            "referrer_email": self._email(first, last),
        }

    def _source(self, story: Story) -> str:
        if any(p["kind"] == Kind.UNBORN for p in story.household.people) and self.rng.random() < 0.5:
            return Source.MIDWIFE
        sources = {
            Source.HEALTH_VISITOR: 32,
            Source.SINGLE_PHONE_LINE: 12,
            Source.SELF: 12,
            Source.NURSERY: 8,
            Source.SOCIAL_CARE: 8,
            Source.OTHER: 7,
            Source.GP: 6,
            Source.SCHOOL: 4,
            Source.POLICE: 3,
        }
        return self.rng.choices(list(sources), weights=list(sources.values()))[0]

    def _referral_fields(self, story: Story, received_at: datetime) -> dict:
        rng = self.rng
        household = story.household
        on = timezone.localtime(received_at).date()
        eldest_name, eldest_dob = household.born[-1] if household.born else ("", on)
        eldest_days = (on - eldest_dob).days
        fitting = {
            code: weight
            for code, weight in DETERMINANT_WEIGHTS.items()
            if eldest_days >= DETERMINANT_MIN_AGE_DAYS.get(code, 0)
        }
        codes = []
        wanted = rng.choices((1, 2, 3), weights=(35, 45, 20))[0]
        while len(codes) < wanted:
            code = rng.choices(list(fitting), weights=list(fitting.values()))[0]
            if code not in codes:
                codes.append(code)
        story.reasons = codes
        details = " ".join(self._reason_detail(code, household, eldest_name) for code in codes)
        abuse = "domestic_abuse" in codes
        safe = abuse and rng.random() < 0.7
        urgent = rng.random() < (0.5 if abuse else 0.06)
        return {
            "received_at": received_at,
            **self._referrer(story, self._source(story)),
            "reason_details": details,
            "urgency": Referral.Urgency.URGENT if urgent else Referral.Urgency.ROUTINE,
            "consent_obtained": story.consent and rng.random() < 0.93,
            "best_times": rng.choice(BEST_TIMES),
            "language": household.language,
            "interpreter_needed": household.interpreter,
            "safe_contact_only": safe,
            "safe_contact_notes": rng.choice(SAFE_CONTACT_NOTES) if safe else "",
            "address_line_1": household.address_line_1,
            "address_line_2": household.address_line_2,
            "town": household.town,
            "postcode": household.postcode,
            "district": story.district,
            "locality": story.locality,
        }

    @staticmethod
    def _reason_detail(code: str, household: Household, eldest: str) -> str:
        text = REASON_DETAILS[code]
        if not household.born and code in UNBORN_REASON_DETAILS:
            text = UNBORN_REASON_DETAILS[code]
        elif code == "family_functioning" and household.lone_parent:
            text = LONE_PARENT_CONFLICT
        elif code == "housing" and household.address_line_1.startswith("Plot"):
            text = PITCH_HOUSING
        return text.format(parent=household.parent_first, child=household.child_first, eldest=eldest)

    def _characteristics(self, story: Story, on: date) -> dict:
        rng = self.rng
        household, locality = story.household, story.locality
        low_income = rng.random() < min(0.85, 0.3 + float(locality.idaci_pct) / 100)
        return {
            "lone_parent": household.lone_parent,
            "teenage_parent": household.teenage_parent,
            "low_income": low_income,
            "parent_no_qualifications": rng.random() < 0.06 + float(locality.pct_families_no_qualifications) / 100,
            "disability_in_household": rng.random() < 0.1,
            "send_in_household": rng.random() < (0.3 if "speech_language" in story.reasons else 0.08),
            "ethnicity": household.ethnicity,
        }

    def _professionals(self, story: Story) -> list[dict]:
        rng = self.rng
        household, town, district = story.household, story.household.town, story.district.name
        wanted = []
        if rng.random() < 0.7:
            wanted.append((Agency.HEALTH_VISITING, "Norfolk Healthy Child Programme", "Health visitor"))
        if any(p["kind"] == Kind.UNBORN for p in household.people):
            wanted.append((Agency.MIDWIFERY, HOSPITALS.get(district, NORWICH_HOSPITAL), "Community midwife"))
        if "housing" in story.reasons:
            wanted.append((Agency.HOUSING, COUNCILS[district], "Housing options officer"))
        if "parental_mental_health" in story.reasons and rng.random() < 0.5:
            wanted.append((Agency.MENTAL_HEALTH, "Norfolk and Suffolk NHS Foundation Trust", "Perinatal practitioner"))
        if "domestic_abuse" in story.reasons:
            wanted.append((Agency.DOMESTIC_ABUSE, "Norfolk domestic abuse outreach service", "IDVA"))
        if {"speech_language", "early_education"} & set(story.reasons):
            wanted.append((Agency.EARLY_YEARS, f"{town} Pre-school", "SENCo"))
        if "good_job" in story.reasons:
            wanted.append((Agency.JOBCENTRE, "Jobcentre Plus", "Work coach"))
        if "drugs_alcohol" in story.reasons:
            wanted.append((Agency.SUBSTANCE_MISUSE, "Norfolk drug and alcohol service", "Recovery worker"))
        if rng.random() < 0.25:
            wanted.append((Agency.GP, f"{town} Health Centre", "GP"))
        professionals = []
        for agency, organisation, role in wanted[:3]:
            first, last = self._professional_name()
            professionals.append(
                {
                    "agency": agency,
                    "organisation": organisation,
                    "name": f"Dr {first} {last}" if agency == Agency.GP else f"{first} {last}",
                    "role": role,
                    "phone": self._phone(),
                }
            )
        return professionals

    # Planning each story ------------------------------------------------------------------------

    def plan(self) -> None:
        stories = []
        by_team = defaultdict(list)
        for team, district, locality in self._cells():
            by_team[team.pk].append((team, district, locality))
        for cells in by_team.values():
            kinds = [kind for kind, n in _apportion(STORY_SHARES, len(cells), self.rng).items() for _ in range(n)]
            self.rng.shuffle(kinds)
            stories += [
                Story(kind, team, district, locality)
                for (team, district, locality), kind in zip(cells, kinds, strict=True)
            ]
        allocated = [story for story in stories if story.kind == "allocated"]
        for story in self.rng.sample(allocated, min(REREFERRALS, len(allocated))):
            story.rereferral = True
        for story in stories:
            if story.kind != "duplicate":
                self._plan(story)
        for story in stories:
            if story.kind == "duplicate":
                self._plan_duplicate(story, stories)
        self._plan_team_changes(stories)

    def _plan(self, story: Story) -> None:
        rng = self.rng
        kind = story.kind
        if kind == "received_fresh":
            received = self.now - timedelta(minutes=rng.randint(60, 40 * 60))
            if add_working_days(timezone.localtime(received).date(), self.triage_days) < self.today:
                received = self.now - timedelta(minutes=rng.randint(30, 180))
            self._receive(story, received)
            return
        if kind == "received_overdue":
            day = self._day_ago(6, 10)
            while add_working_days(day, self.triage_days) >= self.today:
                day -= timedelta(days=1)
            self._receive(story, self._moment(day))
            return
        if kind == "accepted":
            received = self._receive(story, self._moment(self._day_ago(2, 20)))
            self._accept(story, self._after(received, min(2, self._triage_gap())))
            return
        if kind.startswith("allocated"):
            self._plan_allocated(story)
            return
        # Closed at triage, straight away or after acceptance.
        decision, after_acceptance = {
            "signposted": (Decision.SIGNPOST, False),
            "stepped_up": (Decision.STEP_UP, rng.random() < 0.3),
            "no_further_action": (Decision.NO_FURTHER_ACTION, rng.random() < 0.4),
            "withdrawn": (Decision.WITHDRAW, rng.random() < 0.4),
        }[kind]
        reasons = TriageDecision.REASONS_FOR[decision]
        if after_acceptance:  # accepted, then found out at the first calls
            reasons = [r for r in reasons if r not in (Reason.NEEDS_MET, Reason.NO_IDENTIFIED_NEED)] or reasons
        reason = rng.choice(reasons)
        story.consent = reason != Reason.CONSENT_DECLINED
        received = self._receive(story, self._moment(self._day_ago(3, HISTORY_DAYS)))
        decided = self._after(received, self._triage_gap())
        if after_acceptance:
            self._accept(story, decided)
            decided = self._after(story.last, rng.randint(1, 8))
        self._decide(story, decided, decision, reason)

    def _plan_allocated(self, story: Story) -> None:
        rng = self.rng
        kind = story.kind
        if story.rereferral:
            self._plan_rereferral(story)
            return
        if kind == "allocated_not_yet_due":
            day = self._day_ago(2, 8)
            while add_working_days(day, self.contact_days) < self.today:
                day += timedelta(days=1)
            received = self._receive(story, self._moment(day))
            accepted = self._accept(story, self._after(received, rng.randint(0, 1)))
            self._allocate(story, self._after(accepted, rng.randint(0, 1)))
            return
        if kind == "allocated_contact_overdue":
            day = self._day_ago(16, 45)
            while add_working_days(day, self.contact_days) >= self.today:
                day -= timedelta(days=1)
            received = self._receive(story, self._moment(day))
            accepted = self._accept(story, self._after(received, self._triage_gap()))
            self._allocate(story, self._after(accepted, rng.randint(1, 6)))
            return
        received = self._receive(story, self._moment(self._day_ago(12, HISTORY_DAYS)))
        accepted = self._accept(story, self._after(received, self._triage_gap()))
        self._allocate_and_contact(story, accepted)

    def _allocate_and_contact(self, story: Story, accepted: datetime) -> None:
        rng = self.rng
        allocated = self._allocate(
            story, self._after(accepted, rng.choices((0, 1, 2, 3, 5, 8), (20, 30, 20, 15, 10, 5))[0])
        )
        due = add_working_days(timezone.localtime(story.received_at).date(), self.contact_days)
        in_time = max(0, working_days_between(timezone.localtime(allocated).date(), due))
        gap = rng.randint(0, in_time) if rng.random() < 0.85 else in_time + rng.randint(1, 6)
        contacted = self._after(allocated, gap)
        story.first_contact_at = contacted
        lead = story.lead
        self._at(contacted, partial(self._do_first_contact, story, contacted, lead), story)
        chars = self._characteristics(story, timezone.localtime(contacted).date())
        self._at(self._soon(contacted), partial(self._do_first_visit_details, story, lead, chars, contacted), story)
        for professional in self._professionals(story):
            self._at(self._soon(story.last), partial(self._do_professional, story, lead, professional), story)

    def _plan_rereferral(self, story: Story) -> None:
        """An earlier referral accepted, then closed; a new one months later, accepted against the same family."""
        rng = self.rng
        earlier = Story("earlier", story.team, story.district, story.locality)
        received = self._receive(earlier, self._moment(self._day_ago(175, HISTORY_DAYS)))
        accepted = self._accept(earlier, self._after(received, self._triage_gap()))
        decision = rng.choice((Decision.NO_FURTHER_ACTION, Decision.WITHDRAW))
        reason = Reason.UNABLE_TO_CONTACT if decision == Decision.NO_FURTHER_ACTION else Reason.FAMILY_WITHDREW
        closed = self._decide(earlier, self._after(accepted, rng.randint(2, 10)), decision, reason)
        again = self._moment(timezone.localtime(closed).date() + timedelta(days=rng.randint(40, 120)))
        story.household = earlier.household
        self._receive(story, min(again, self.now - timedelta(days=12)))
        accepted = self._accept(story, self._after(story.received_at, self._triage_gap()), family_of=earlier)
        self._allocate_and_contact(story, accepted)

    def _plan_duplicate(self, story: Story, stories: list[Story]) -> None:
        """A second referral for a family already allocated, closed as a duplicate."""
        rng = self.rng
        latest = self.now - timedelta(days=5)
        originals = [
            s
            for s in stories
            if s.team == story.team
            and s.kind in ("allocated", "allocated_contact_overdue")
            and not s.rereferral
            and s.allocated_at < latest
            and not s.duplicated
        ]
        if not originals:
            story.kind = "signposted"
            self._plan(story)
            return
        original = rng.choice(originals)
        original.duplicated = True
        story.district, story.locality, story.household = original.district, original.locality, original.household
        received = self._receive(story, self._after(original.allocated_at, rng.randint(2, 15)))
        self._decide(
            story,
            self._after(received, min(2, self._triage_gap())),
            Decision.DUPLICATE,
            Reason.ALREADY_OPEN,
            notes=lambda: (
                f"Family already open to the service as {original.family.reference}: passed to the lead worker."
            ),
        )

    def _plan_team_changes(self, stories: list[Story]) -> None:
        """Co-workers for some families and a new lead worker for a few, a while after first contact."""
        rng = self.rng
        settled = [
            s
            for s in stories
            if s.kind == "allocated"
            and s.first_contact_at
            and s.last < self.now - timedelta(days=20)
            and len(self.workers[s.team.pk]) > 1
        ]
        chosen = rng.sample(settled, min(len(settled), CO_WORKED_FAMILIES + REALLOCATED_FAMILIES))
        for n, story in enumerate(chosen):
            others = [w for w in self.workers[story.team.pk] if w != story.lead]
            worker = min(others, key=lambda w: (self.caseload[w.pk], rng.random()))
            self.caseload[worker.pk] += 1
            if n < CO_WORKED_FAMILIES:
                moment = self._after(story.last, rng.randint(2, 10))
                self._at(moment, partial(self._do_co_worker, story, worker, rng.choice(CO_WORKING_REASONS)), story)
            else:
                moment = self._after(story.last, rng.randint(5, 12))
                self._at(moment, partial(self._do_reallocate, story, worker, REALLOCATION_REASONS[n % 4]), story)

    # Steps ----------------------------------------------------------------------------------------

    def _receive(self, story: Story, received: datetime) -> datetime:
        story.received_at = received
        if story.household is None:
            story.household = self._household(story, timezone.localtime(received).date())
        fields = self._referral_fields(story, received)
        reasons = [self.determinants[code] for code in story.reasons]
        people = [dict(person) for person in story.household.people]
        return self._at(received, partial(self._do_create, story, people, reasons, fields), story)

    def _accept(self, story: Story, moment: datetime, family_of: Story | None = None) -> datetime:
        notes = self.rng.choice(DECISION_NOTES[Reason.MEETS_THRESHOLD])
        self._at(
            moment, partial(self._do_decide, story, Decision.ACCEPT, Reason.MEETS_THRESHOLD, notes, family_of), story
        )
        if family_of is None and story.kind != "allocated":
            # Families no one is allocated to yet: the manager records what the referral told them.
            chars = self._characteristics(story, timezone.localtime(moment).date())
            self._at(self._soon(moment), partial(self._do_characteristics, story, story.team.manager, chars), story)
        return story.last

    def _decide(self, story: Story, moment: datetime, decision: str, reason: str, notes=None) -> datetime:
        notes = notes or self.rng.choice(DECISION_NOTES[reason])
        return self._at(moment, partial(self._do_decide, story, decision, reason, notes, None), story)

    def _allocate(self, story: Story, moment: datetime) -> datetime:
        workers = self.workers[story.team.pk]
        story.lead = min(workers, key=lambda w: (self.caseload[w.pk], self.rng.random()))
        self.caseload[story.lead.pk] += 1
        story.allocated_at = moment
        return self._at(moment, partial(self._do_allocate, story, story.lead), story)

    # Service calls (run with the clock at the step's moment) ----------------------------------------

    def _do_create(self, story: Story, people: list[dict], reasons: list, fields: dict) -> None:
        story.referral = referral_services.referral_create(
            actor=story.team.manager, people=people, reasons=reasons, routed_team=story.team, **fields
        )

    def _do_decide(self, story: Story, decision: str, reason: str, notes, family_of: Story | None) -> None:
        triage = referral_services.referral_decide(
            referral=story.referral,
            decision=decision,
            reason=reason,
            notes=notes() if callable(notes) else notes,
            actor=story.team.manager,
            family=family_of.family if family_of else None,
            new_family=decision == Decision.ACCEPT and family_of is None,
            consent_override_reason=CONSENT_OVERRIDES[story.referral.pk % len(CONSENT_OVERRIDES)]
            if decision == Decision.ACCEPT and not story.referral.consent_obtained
            else "",
        )
        story.referral = triage.referral
        story.family = story.referral.family or story.family

    def _do_allocate(self, story: Story, worker) -> None:
        referral_services.referral_allocate(referral=story.referral, worker=worker, actor=story.team.manager)

    def _do_first_contact(self, story: Story, when: datetime, worker) -> None:
        referral_services.referral_record_first_contact(referral=story.referral, when=when, actor=worker)

    def _do_characteristics(self, story: Story, actor, fields: dict) -> None:
        story.family = family_services.family_update_characteristics(family=story.family, actor=actor, **fields)

    def _do_first_visit_details(self, story: Story, actor, fields: dict, visited: datetime) -> None:
        """What the worker finds out at the first visit, and consent if the referrer had not got it."""
        if not story.family.consent_given:
            fields = fields | {
                "consent_given": True,
                "consent_given_by": f"{story.household.parent_first} {story.household.parent_last}",
                "consent_date": timezone.localtime(visited).date(),
                "consent_scope": Family.ConsentScope.HOLD_AND_SHARE,
            }
        self._do_characteristics(story, actor, fields)

    def _do_professional(self, story: Story, actor, professional: dict) -> None:
        family_services.professional_add(family=story.family, actor=actor, **professional)

    def _do_co_worker(self, story: Story, worker, reason: str) -> None:
        family_services.family_add_co_worker(
            family=story.family, worker=worker, actor=story.team.manager, reason=reason
        )

    def _do_reallocate(self, story: Story, worker, reason: str) -> None:
        family_services.family_reallocate(family=story.family, worker=worker, reason=reason, actor=story.team.manager)

    def run(self) -> None:
        for moment, _, action in sorted(self.steps, key=lambda step: (step[0], step[1])):
            with _clock(moment):
                action()


# Entry points --------------------------------------------------------------------------------------


def _demo_referrals():
    return Referral.objects.filter(referrer_email__endswith=f"@{DEMO_REFERRER_DOMAIN}")


def demo_families_counts(*, created: bool = False) -> dict:
    referrals = _demo_referrals()
    by_status = dict(referrals.order_by().values_list("status").annotate(n=Count("pk")))
    return {
        "created": created,
        "families": Family.objects.filter(referrals__in=referrals).distinct().count(),
        "referrals": sum(by_status.values()),
        "by_status": {status: by_status.get(status, 0) for status in Referral.Status.values},
    }


def demo_families_summary(counts: dict) -> str:
    labels = dict(Referral.Status.choices)
    statuses = ", ".join(f"{n} {labels[status].lower()}" for status, n in counts["by_status"].items() if n)
    already = " (already there)" if not counts["created"] else ""
    return f"Demo families{already}: {counts['families']} families, {counts['referrals']} referrals ({statuses})"


def demo_families_seed(*, rng_seed: int = 2019) -> dict:
    """Demo families and referrals in every state, once; the counts of what is there."""
    refuse_unless_demo_key()
    with transaction.atomic():
        if _demo_referrals().exists():
            return demo_families_counts(created=False)
        seeder = _Seeder(random.Random(rng_seed))  # noqa: S311 (demo data, not secrets)
        seeder.plan()
        seeder.run()
        return demo_families_counts(created=True)
