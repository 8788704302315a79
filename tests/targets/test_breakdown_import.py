"""The framework format carries breakdowns by named categories and cross-tables; a workbook made
before categories (the anytown fixture keeps the old measurements columns) imports unchanged."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from targets import services
from targets.models import Category, CategoryList, Measurement, Outcome
from targets.services import Breakdown
from tests.strands.helpers import import_errors, rewrite, run_import

pytestmark = pytest.mark.django_db


def export(path) -> None:
    call_command("export_framework", str(path), stdout=io.StringIO())


def test_an_old_workbook_imports_unchanged_and_its_groups_are_matched_to_categories(anytown_dir):
    header = (anytown_dir / "measurements.csv").read_text().splitlines()[0]
    assert header == "indicator,period_end,value,dimension,group,source,note"  # the old columns
    run_import(anytown_dir)
    white = Measurement.objects.get(group="White")
    assert white.category.name == "White"
    assert white.category.category_list.name == "2021 Census, 5 high-level groups"
    # Groups no list names go into the dimension's custom list, named as written.
    named = Measurement.objects.get(group="Black, Asian and Minority Ethnic")
    assert (named.category.category_list.name, named.category.category_list.is_custom) == (
        "Custom",
        True,
    )
    assert set(
        Category.objects.filter(category_list__is_custom=True).values_list("name", flat=True)
    ) == {"Black, Asian and Minority Ethnic"}
    assert Measurement.objects.get(group="Other").category.name == "Other ethnic group"


def test_importing_an_old_workbook_twice_changes_nothing(anytown_dir):
    run_import(anytown_dir)
    categories = Category.objects.count()
    history = Measurement.history.count()
    run_import(anytown_dir)
    assert Category.objects.count() == categories
    assert Measurement.history.count() == history


def test_one_group_under_two_names_in_a_period_is_refused(anytown_copy):
    rewrite(anytown_copy, "measurements", "ethnicity,White,", "ethnicity,black british,")
    rewrite(
        anytown_copy,
        "measurements",
        'ethnicity,"Black, Asian and Minority Ethnic"',
        "ethnicity,Black",
    )
    errors = import_errors(anytown_copy)
    assert (
        'measurements row 4, column group: "black british" is the same group as row 3\'s '
        '"Black"; give each group once for a period.'
    ) in errors
    assert not Measurement.objects.exists()


def test_a_cross_table_cell_needs_its_second_dimension(anytown_copy):
    path = anytown_copy / "measurements.csv"
    lines = path.read_text().splitlines()
    lines[0] += ",group_2"
    lines[1:] = [line + "," for line in lines[1:]]
    lines[3] = lines[3][:-1] + ",Female"
    path.write_text("\n".join(lines) + "\n")
    errors = import_errors(anytown_copy)
    assert (
        "measurements row 4, column dimension_2: group_2 is given, so name its dimension in "
        "dimension_2 (for example sex)."
    ) in errors


def test_categories_and_cross_tables_make_a_lossless_round_trip(anytown_dir, tmp_path):
    run_import(anytown_dir)
    outcome = Outcome.objects.get(ref="JOBS-O1")
    census = CategoryList.objects.get(name="2021 Census, 19 categories")
    sexes = CategoryList.objects.get(dimension__name="Sex")
    categories = list(census.categories.all())
    female, male = sexes.categories.filter(kind="group")
    period = datetime.date(2025, 12, 31)
    who = outcome.service_area.director
    services.add_measurement(
        indicator=outcome,
        user=who,
        period_end=period,
        total=Decimal(400),
        breakdowns=[
            Breakdown(
                category_list=census,
                values={c.pk: Decimal(i + 1) for i, c in enumerate(categories)},
            )
        ],
    )
    services.add_measurement(
        indicator=outcome,
        user=who,
        period_end=period,
        total=Decimal(400),
        breakdowns=[
            Breakdown(
                category_list=census,
                crossed_with=sexes,
                cells={(categories[0].pk, female.pk): Decimal(1)},
                values={categories[0].pk: Decimal(1)},
                values_2={female.pk: Decimal(190), male.pk: Decimal(210)},
            )
        ],
    )
    before = sorted(
        (
            m.period_end,
            m.dimension,
            m.group,
            m.category_id,
            m.dimension_2,
            m.group_2,
            m.category_2_id,
            m.value,
        )
        for m in Measurement.objects.all()
    )
    export(tmp_path / "first.xlsx")
    Measurement.objects.all().delete()
    run_import(tmp_path / "first.xlsx")
    after = sorted(
        (
            m.period_end,
            m.dimension,
            m.group,
            m.category_id,
            m.dimension_2,
            m.group_2,
            m.category_2_id,
            m.value,
        )
        for m in Measurement.objects.all()
    )
    assert after == before
    assert len(after) == 6 + 1 + 21 + 1 + 2 + 1
    export(tmp_path / "first")
    text = (tmp_path / "first" / "measurements.csv").read_text()
    assert (
        'JOBS-O1,2025-12-31,1,Ethnicity,"2021 Census, 19 categories",'
        '"Asian, Asian British or Asian Welsh: Bangladeshi",Sex,Female and male,Female,'
    ) in text
