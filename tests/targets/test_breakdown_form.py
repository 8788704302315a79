"""The Add a value form as the action page renders it, without JavaScript: choosing a list is a
submit that shows its categories (nothing saved), then a value per category, or per cell of a
cross-table; errors in the person's words and nothing partly saved."""

import pytest
from django.urls import reverse

from targets.models import CategoryList, Measurement
from tests.webforms import assert_links_resolve, fill, form_to

pytestmark = pytest.mark.django_db
PAGE = reverse("action-detail", args=["HOU-01"])
P = "m-HOU-O01-"


def add_value_form(page):
    return form_to(page, reverse("measurement-add", args=["HOU-O01"]))


def shown(web, world, rows: CategoryList, columns: CategoryList | None = None):
    form = add_value_form(web(world.director).get(PAGE))
    form[P + "breakdown"] = str(rows.pk)
    if columns is not None:
        form[P + "crossed_with"] = str(columns.pk)
    page = form.submit(P + "show")  # no HX-Request: the whole page comes back
    assert page.status_code == 200 and "<html" in page.text
    assert "There is a problem" not in page.text  # showing the categories checks nothing
    assert not Measurement.objects.exists()
    return add_value_form(page)


def period(form, total):
    return fill(
        form,
        {
            P + "period_end_day": "31",
            P + "period_end_month": "3",
            P + "period_end_year": "2022",
            P + "value": str(total),
        },
    )


def test_every_category_of_the_chosen_list_is_a_row_and_blank_is_not_given(web, world):
    census = CategoryList.objects.get(name="2021 Census, 19 categories")
    form = shown(web, world, census)
    categories = list(census.categories.all())
    assert all(f"{P}c_{c.pk}" in form.fields for c in categories)  # 19 groups and 2 not given
    period(form, 100)
    form[f"{P}c_{categories[2].pk}"] = "40"  # Indian
    form[f"{P}c_{categories[-2].pk}"] = "10"  # Not known
    page = form.submit().follow()
    assert "Value for the period ending 31 March 2022 saved for HOU-O01." in page.text
    saved = Measurement.objects.filter(outcome=world.outcome).exclude(group="")
    assert sorted(saved.values_list("group", flat=True)) == [
        "Asian, Asian British or Asian Welsh: Indian",
        "Not known",
    ]


def test_a_cross_table_is_a_grid_of_cells_with_row_and_column_totals(web, world):
    ethnicity = CategoryList.objects.get(name="2021 Census, 5 high-level groups")
    sexes = CategoryList.objects.get(dimension__name="Sex")
    form = shown(web, world, ethnicity, sexes)
    white = ethnicity.categories.get(name="White")
    female, male = sexes.categories.filter(kind="group")
    period(form, 100)
    form[f"{P}x_{white.pk}_{female.pk}"] = "30"
    form[f"{P}x_{white.pk}_{male.pk}"] = "25"
    form[f"{P}c_{white.pk}"] = "50"  # less than its cells
    page = form.submit(status=422)
    assert "Error: " in page.text.split("</title>")[0]
    assert "The cells for White add up to 55, more than its total of 50" in page.text
    assert_links_resolve(page)
    assert not Measurement.objects.exists()  # nothing partly saved
    form = add_value_form(page)
    form[f"{P}c_{white.pk}"] = "55"
    page = form.submit().follow()
    assert "saved for HOU-O01" in page.text
    rows = Measurement.objects.filter(outcome=world.outcome)
    assert rows.get(group="White", group_2="Female").value == 30
    assert rows.get(dimension="Ethnicity", group="White", group_2="").value == 55


def test_crossing_a_dimension_with_itself_is_refused(web, world):
    census = CategoryList.objects.get(name="2021 Census, 19 categories")
    high_level = CategoryList.objects.get(name="2021 Census, 5 high-level groups")
    form = add_value_form(web(world.director).get(PAGE))
    period(form, 100)
    form[P + "breakdown"] = str(census.pk)
    form[P + "crossed_with"] = str(high_level.pk)
    page = form.submit(status=422)
    assert "Choose a list of another dimension than ethnicity to cross it with" in page.text
    assert not Measurement.objects.exists()
