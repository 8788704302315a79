"""Breakdowns by named categories: any number of groups, several dimensions for one period,
"Not known" kept apart from the groups, and cross-tables of two dimensions."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext

from targets import services
from targets.categories import Catalogue, find_or_add
from targets.models import CategoryList, Measurement
from targets.services import Breakdown
from targets.shares import periods

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2021, 6, 30)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def census_19() -> CategoryList:
    return CategoryList.objects.get(dimension__name="Ethnicity", name__contains="19")


def sexes() -> CategoryList:
    return CategoryList.objects.get(dimension__name="Sex")


def test_the_standard_lists_are_seeded_with_the_census_names():
    categories = [c.name for c in census_19().categories.all()]
    assert len(categories) == 21  # 19 groups, then "Not known" and "Prefer not to say"
    assert categories[0] == "Asian, Asian British or Asian Welsh: Bangladeshi"
    assert categories[12] == "White: English, Welsh, Scottish, Northern Irish or British"
    assert categories[18] == "Other ethnic group: Any other ethnic group"
    assert [c.kind for c in census_19().categories.all()][-2:] == [
        "not_known",
        "prefer_not_to_say",
    ]
    high_level = CategoryList.objects.get(dimension__name="Ethnicity", name__contains="5 high")
    assert [c.name for c in high_level.categories.filter(kind="group")] == [
        "Asian, Asian British or Asian Welsh",
        "Black, Black British, Black Welsh, Caribbean or African",
        "Mixed or Multiple ethnic groups",
        "White",
        "Other ethnic group",
    ]
    assert [c.name for c in sexes().categories.filter(kind="group")] == ["Female", "Male"]
    disability = CategoryList.objects.get(dimension__name="Disability")
    assert [c.name for c in disability.categories.filter(kind="group")] == [
        "Disabled",
        "Not disabled",
    ]
    ages = CategoryList.objects.get(dimension__name="Age")
    assert [c.name for c in ages.categories.filter(kind="group")] == [
        "0-15",
        "16-24",
        "25-34",
        "35-49",
        "50-64",
        "65+",
    ]


@pytest.mark.parametrize("words", ["black", "BLACK", "Black British", "black or black british"])
def test_groups_differing_in_case_or_named_by_a_synonym_are_one_group(words):
    found = Catalogue.load().category("race", words)
    assert found.name == "Black, Black British, Black Welsh, Caribbean or African"


def test_an_unknown_group_goes_into_the_dimensions_custom_list_once():
    catalogue = Catalogue.load()
    first = find_or_add(catalogue, "ethnicity", "Kurdish", user=None, reason="Import")
    again = find_or_add(catalogue, "Ethnicity", "kurdish", user=None, reason="Import")
    assert first == again
    assert (first.category_list.name, first.category_list.is_custom) == ("Custom", True)
    assert first.history.first().history_change_reason == "Import"
    ward = find_or_add(catalogue, "ward", "St Mary's", user=None, reason="Import")
    assert ward.category_list.dimension.name == "Ward"


def test_groups_differing_only_in_case_cannot_both_be_stored(world):
    services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=JUNE,
        total=Decimal(10),
        dimension="ethnicity",
        breakdown=[("White", Decimal(4))],
    )
    with pytest.raises(IntegrityError):  # the database refuses it too, whatever the caller
        Measurement.objects.create(
            outcome=world.outcome, period_end=JUNE, value=1, dimension="ETHNICITY", group="white"
        )


def test_two_names_for_one_group_in_one_breakdown_are_refused(world):
    with pytest.raises(ValidationError) as refused:
        services.add_measurement(
            indicator=world.outcome,
            user=world.director,
            period_end=JUNE,
            total=Decimal(10),
            dimension="ethnicity",
            breakdown=[("Black", Decimal(4)), ("black british", Decimal(1))],
        )
    assert "Black and black british are the same group" in str(refused.value)
    assert not Measurement.objects.exists()


def nineteen(values):
    categories = list(census_19().categories.all())
    return Breakdown(
        category_list=census_19(),
        values={c.pk: Decimal(v) for c, v in zip(categories, values, strict=False)},
    )


def test_a_nineteen_category_breakdown_and_a_sex_breakdown_for_one_period(world):
    values = [10, 2, 30, 4, 5, 60, 7, 8, 9, 10, 11, 12, 100, 14, 15, 16, 17, 18, 19, 20, 3]
    services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=JUNE,
        total=Decimal(400),
        breakdowns=[nineteen(values)],
    )
    female, male = sexes().categories.filter(kind="group")
    services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=JUNE,
        total=Decimal(400),
        breakdowns=[Breakdown(category_list=sexes(), values={female.pk: 210, male.pk: 190})],
    )
    assert Measurement.objects.filter(outcome=world.outcome).count() == 1 + 21 + 2
    catalogue = Catalogue.load()
    (period,) = periods(
        world.outcome, Measurement.objects.all(), not_given=catalogue.not_given_ids()
    )
    ethnicity, sex = period.breakdowns
    assert len(ethnicity.groups) == 19 and [g.group for g in ethnicity.not_given] == [
        "Not known",
        "Prefer not to say",
    ]
    # Shares are of those whose ethnicity is known: 400 - 20 - 3 = 377.
    assert ethnicity.known_total == 377
    assert ethnicity.groups[12].share == Decimal("26.5")  # 100 of 377
    assert all(g.share is None and g.expected is None for g in ethnicity.not_given)
    assert [(g.group, g.share) for g in sex.groups] == [
        ("Female", Decimal("52.5")),
        ("Male", Decimal("47.5")),
    ]


def test_a_second_breakdown_needs_the_same_total(world):
    services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=JUNE,
        total=Decimal(400),
        breakdowns=[nineteen([1] * 19)],
    )
    female = sexes().categories.get(name="Female")
    with pytest.raises(ValidationError) as refused:
        services.add_measurement(
            indicator=world.outcome,
            user=world.director,
            period_end=JUNE,
            total=Decimal(401),
            breakdowns=[Breakdown(category_list=sexes(), values={female.pk: 10})],
        )
    assert "The total for the period ending 30 June 2021 is already 400" in str(refused.value)
    assert Measurement.objects.count() == 20


def cross(cells, values_2=None, values=None):
    ethnicity = CategoryList.objects.get(dimension__name="Ethnicity", name__contains="5 high")
    rows = {c.name.split(",")[0]: c for c in ethnicity.categories.all()}
    columns = {c.name: c for c in sexes().categories.all()}
    return Breakdown(
        category_list=ethnicity,
        crossed_with=sexes(),
        cells={(rows[r].pk, columns[c].pk): Decimal(v) for (r, c), v in cells.items()},
        values={rows[r].pk: Decimal(v) for r, v in (values or {}).items()},
        values_2={columns[c].pk: Decimal(v) for c, v in (values_2 or {}).items()},
    )


def test_a_cross_table_stores_cells_and_margins_and_is_read_back(world):
    services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=JUNE,
        total=Decimal(100),
        breakdowns=[
            cross(
                {("Asian", "Female"): 10, ("Asian", "Male"): 12, ("White", "Female"): 30},
                values={"Asian": 22, "White": 60},
                values_2={"Female": 40, "Male": 60},
            )
        ],
    )
    rows = Measurement.objects.filter(outcome=world.outcome)
    assert rows.filter(group_2="").exclude(group="").count() == 4  # two row and two column totals
    assert rows.exclude(group_2="").count() == 3
    (period,) = periods(world.outcome, rows)
    assert period.breakdowns == []  # a cross-table is not a breakdown by one dimension
    (table,) = period.crosses
    assert (table.dimension, table.dimension_2) == ("Ethnicity", "Sex")
    assert table.rows == ["Asian, Asian British or Asian Welsh", "White"]
    assert table.columns == ["Female", "Male"]
    assert table.cells[("White", "Female")] == 30
    assert table.row_totals["White"] == 60 and table.column_totals["Male"] == 60


def test_a_cross_tables_cells_may_not_add_up_to_more_than_their_row(world):
    with pytest.raises(ValidationError) as refused:
        services.add_measurement(
            indicator=world.outcome,
            user=world.director,
            period_end=JUNE,
            total=Decimal(100),
            breakdowns=[
                cross({("Asian", "Female"): 10, ("Asian", "Male"): 12}, values={"Asian": 20})
            ],
        )
    assert "The cells for Asian, Asian British or Asian Welsh add up to 22" in str(refused.value)
    assert not Measurement.objects.exists()


def record_everything(world, period_end, team):
    values = list(range(3, 24))
    services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=period_end,
        total=Decimal(500),
        breakdowns=[nineteen(values)],
    )
    services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=period_end,
        total=Decimal(500),
        breakdowns=[
            cross(
                {("Asian", "Female"): 10, ("Asian", "Male"): 12, ("White", "Male"): 3},
                values={"Asian": 22},
            )
        ],
    )


def test_the_outcome_page_shows_each_breakdown_and_the_cross_table(as_user, world):
    record_everything(world, JUNE, world.team)
    response = as_user(world.board).get(f"/outcomes/{world.outcome.ref}/")
    page = text(response)
    assert "Breakdown by ethnicity, period ending 30 June 2021" in page
    assert "White: Roma 18" in page
    assert "Not known 22 – – Not a group: left out of the shares" in page
    assert "Shares are of the 455 whose ethnicity is known." in page  # 500 - 22 - 23
    html = response.content.decode()
    assert 'aria-label="Ethnicity by sex, period ending 30 June 2021, table"' in html
    assert "Ethnicity by sex, period ending 30 June 2021: each value, and its share" in page
    assert re.search(
        r'<th scope="col"\s+class="govuk-table__header govuk-table__header--numeric">Female</th>',
        html,
    )
    assert "Asian, Asian British or Asian Welsh 10 2.0% 12 2.4% 22 4.4%" in page


def test_the_outcome_page_makes_as_many_queries_whatever_the_number_of_values(as_user, world):
    client = as_user(world.board)
    client.get(f"/outcomes/{world.outcome.ref}/")  # sessions warmed
    # Each look after new values draws the breakdowns afresh (nothing kept fits the new data).
    record_everything(world, JUNE, world.team)
    with CaptureQueriesContext(connection) as one:
        assert client.get(f"/outcomes/{world.outcome.ref}/").status_code == 200
    for month in (3, 9, 12):
        record_everything(world, datetime.date(2021, month, 28), world.team)
    with CaptureQueriesContext(connection) as four:
        assert client.get(f"/outcomes/{world.outcome.ref}/").status_code == 200
    assert len(four) == len(one) <= 11


def test_the_recorder_corrects_a_cross_table_cell_from_the_outcome_page(as_user, world):
    record_everything(world, JUNE, world.team)
    cell = Measurement.objects.filter(outcome=world.outcome).exclude(group_2="").first()
    team = as_user(world.team).get(f"/outcomes/{world.outcome.ref}/").content.decode()
    assert f'href="/measurements/{cell.pk}/correct/"' in team
    assert f"the value for {cell.group}, {cell.group_2}" in " ".join(team.split())
    board = as_user(world.board).get(f"/outcomes/{world.outcome.ref}/").content.decode()
    assert f"/measurements/{cell.pk}/correct/" not in board  # only the recorder and the team


def test_the_action_page_charts_and_lists_every_breakdown_of_a_linked_outcome(as_user, world):
    services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=JUNE,
        total=Decimal(400),
        breakdowns=[nineteen(list(range(1, 22)))],
    )
    female, male = sexes().categories.filter(kind="group")
    services.add_measurement(
        indicator=world.outcome,
        user=world.director,
        period_end=JUNE,
        total=Decimal(400),
        breakdowns=[Breakdown(category_list=sexes(), values={female.pk: 210, male.pk: 190})],
    )
    page = text(as_user(world.board).get("/actions/HOU-01/"))  # its target serves the outcome
    ref_o = world.outcome.ref
    assert f"{ref_o}: each group's share by ethnicity, period ending 30 June 2021" in page
    assert f"{ref_o}: each group's share by sex, period ending 30 June 2021" in page
    # The latest values list both breakdowns, each group named with its dimension.
    assert "Female (Sex) 210" in page and "Male (Sex) 190" in page
    assert "White: Roma (Ethnicity) 16" in page
