"""The standard dimensions and their category lists (the programme team adds others in the admin).

Ethnicity follows the 2021 Census classification for England and Wales (ONS): the 19 categories,
and the 5 high-level groups. "Not known" and "Prefer not to say" end every list: they are recorded
and shown but are not groups (no share, no comparison). The data is frozen here, so that the
migration gives the same rows whatever the code does later.
"""

from django.db import migrations

NOT_GIVEN = [
    ("Not known", "not_known", "unknown; not stated; not recorded"),
    ("Prefer not to say", "prefer_not_to_say", "prefer not to answer; declined; refused"),
]

ASIAN = "Asian, Asian British or Asian Welsh"
BLACK = "Black, Black British, Black Welsh, Caribbean or African"
MIXED = "Mixed or Multiple ethnic groups"
WHITE = "White"
OTHER = "Other ethnic group"

CENSUS_19 = [
    (f"{ASIAN}: Bangladeshi", "Bangladeshi; Asian or Asian British: Bangladeshi"),
    (f"{ASIAN}: Chinese", "Chinese; Asian or Asian British: Chinese"),
    (f"{ASIAN}: Indian", "Indian; Asian or Asian British: Indian"),
    (f"{ASIAN}: Pakistani", "Pakistani; Asian or Asian British: Pakistani"),
    (f"{ASIAN}: Other Asian", "Other Asian; Any other Asian background"),
    (f"{BLACK}: African", "African; Black African; Black or Black British: African"),
    (f"{BLACK}: Caribbean", "Caribbean; Black Caribbean; Black or Black British: Caribbean"),
    (f"{BLACK}: Other Black", "Other Black; Any other Black background"),
    (f"{MIXED}: White and Asian", "White and Asian; Mixed: White and Asian"),
    (
        f"{MIXED}: White and Black African",
        "White and Black African; Mixed: White and Black African",
    ),
    (
        f"{MIXED}: White and Black Caribbean",
        "White and Black Caribbean; Mixed: White and Black Caribbean",
    ),
    (
        f"{MIXED}: Other Mixed or Multiple ethnic groups",
        "Other Mixed; Any other Mixed or Multiple ethnic background",
    ),
    (
        f"{WHITE}: English, Welsh, Scottish, Northern Irish or British",
        "White British; English, Welsh, Scottish, Northern Irish or British",
    ),
    (f"{WHITE}: Irish", "Irish; White Irish"),
    (f"{WHITE}: Gypsy or Irish Traveller", "Gypsy or Irish Traveller; Gypsy; Irish Traveller"),
    (f"{WHITE}: Roma", "Roma"),
    (f"{WHITE}: Other White", "Other White; Any other White background"),
    (f"{OTHER}: Arab", "Arab"),
    (f"{OTHER}: Any other ethnic group", "Any other ethnic group"),
]

HIGH_LEVEL = [
    (ASIAN, "Asian; Asian or Asian British; Asian British"),
    (
        BLACK,
        "Black; Black British; Black or Black British; Black, African, Caribbean or Black British",
    ),
    (MIXED, "Mixed; Mixed or multiple ethnic group; Mixed/multiple ethnic groups"),
    (WHITE, "White British and other White"),
    (OTHER, "Other; Other ethnic groups"),
]

STANDARD = [
    (
        "Ethnicity",
        "race; ethnic group; ethnic groups",
        [
            ("2021 Census, 19 categories", CENSUS_19),
            ("2021 Census, 5 high-level groups", HIGH_LEVEL),
        ],
    ),
    (
        "Sex",
        "gender",
        [("Female and male", [("Female", "women; woman; f"), ("Male", "men; man; m")])],
    ),
    (
        "Disability",
        "disabled",
        [
            (
                "Equality Act 2010",
                [
                    ("Disabled", "disabled people; yes; has a disability"),
                    ("Not disabled", "non-disabled; no; no disability"),
                ],
            ),
        ],
    ),
    (
        "Age",
        "age band; age group",
        [
            (
                "Age bands",
                [
                    ("0-15", "0 to 15; under 16"),
                    ("16-24", "16 to 24"),
                    ("25-34", "25 to 34"),
                    ("35-49", "35 to 49"),
                    ("50-64", "50 to 64"),
                    ("65+", "65 and over; 65 or over; over 64"),
                ],
            ),
        ],
    ),
]


def seed(apps, schema_editor):
    Dimension = apps.get_model("targets", "Dimension")
    CategoryList = apps.get_model("targets", "CategoryList")
    Category = apps.get_model("targets", "Category")
    for d_position, (name, synonyms, lists) in enumerate(STANDARD, start=1):
        dimension = Dimension.objects.create(name=name, synonyms=synonyms, position=d_position)
        for l_position, (list_name, categories) in enumerate(lists, start=1):
            category_list = CategoryList.objects.create(
                dimension=dimension, name=list_name, position=l_position
            )
            rows = [(n, "group", s) for n, s in categories] + NOT_GIVEN
            for position, (category, kind, synonyms) in enumerate(rows, start=1):
                Category.objects.create(
                    category_list=category_list,
                    name=category,
                    kind=kind,
                    synonyms=synonyms,
                    position=position,
                )


def unseed(apps, schema_editor):
    names = [name for name, _, _ in STANDARD]
    apps.get_model("targets", "Category").objects.filter(
        category_list__dimension__name__in=names
    ).delete()
    apps.get_model("targets", "CategoryList").objects.filter(dimension__name__in=names).delete()
    apps.get_model("targets", "Dimension").objects.filter(name__in=names).delete()


class Migration(migrations.Migration):
    dependencies = [("targets", "0003_categories")]

    operations = [migrations.RunPython(seed, unseed)]
