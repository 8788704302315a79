"""The Equality Act 2010's nine protected characteristics, plus socio-economic disadvantage:
the rows the characteristics table starts with (actions/migrations/0003). Everything else reads the
table (actions.models.Characteristic), so a council may add its own."""

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
