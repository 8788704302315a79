"""The Equality Act 2010's nine protected characteristics, plus socio-economic disadvantage."""

CHARACTERISTICS: list[tuple[str, str]] = [
    ("age", "Age"),
    ("disability", "Disability"),
    ("gender_reassignment", "Gender reassignment"),
    ("marriage_civil_partnership", "Marriage and civil partnership"),
    ("pregnancy_maternity", "Pregnancy and maternity"),
    ("race", "Race"),
    ("religion_belief", "Religion or belief"),
    ("sex", "Sex"),
    ("sexual_orientation", "Sexual orientation"),
    ("socio_economic", "Socio-economic disadvantage"),
]
CHARACTERISTIC_CODES = [code for code, _ in CHARACTERISTICS]
