"""The published stocktake, for anyone without signing in: page, PDF, open data."""

import csv
import io

import pytest
from django.urls import reverse

from reporting.stocktake import content, pdf
from reporting.stocktake.opendata import ALL_FILES, DATA_FILES
from tests.reporting.stocktake_world import (
    draft,
    html_text,
    pdf_text,
    published,
)

pytestmark = pytest.mark.django_db

PUBLIC_PAGES = [
    ("public-stocktake", {}),
    ("public-stocktake-pdf", {}),
    ("public-stocktake-data", {}),
    ("public-stocktake-datapackage", {}),
    *[("public-stocktake-csv", {"name": name}) for name in ALL_FILES],
]


@pytest.fixture
def published_2026(stocktake_world):
    """The 2026 stocktake, published with its real PDF."""
    stocktake = published(2026, by=stocktake_world.world.team)
    rendered = pdf.render(content.for_stocktake(stocktake))
    render = stocktake.published_render
    render.pdf, render.pages, render.size = rendered.data, rendered.pages, len(rendered.data)
    render.save()
    return stocktake


def read_csv(client, name: str, year: int = 2026) -> list[dict]:
    response = client.get(reverse("public-stocktake-csv", args=[year, name]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "license" in response["Link"] and "open-government-licence" in response["Link"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_anyone_reads_the_published_stocktake_without_signing_in(client, published_2026):
    response = client.get(reverse("public-stocktake", args=[2026]))
    assert response.status_code == 200
    html = response.content.decode()
    text = html_text(html)
    assert "Challenging Inequality Programme: annual stocktake 2026" in text
    assert "HOU-01: Diverse housing panels" in text
    assert "Open Government Licence v3.0" in text
    assert reverse("public-stocktake-pdf", args=[2026]) in html
    assert reverse("public-stocktake-data", args=[2026]) in html
    # Nobody is signed in: no navigation, no sign-out button, no account.
    assert "Sign out" not in html
    assert "govuk-service-navigation__list" not in html
    assert "Signed in as" not in html


def test_the_public_page_shows_nothing_that_is_not_public(client, published_2026):
    text = html_text(client.get(reverse("public-stocktake", args=[2026])).content.decode())
    for secret in ("HOU-03", "Confidential pilot", "HOU-T03", "Secret pilot", "HOU-O02"):
        assert secret not in text
    assert "fewer than 5" in text


def test_the_public_pdf_is_the_published_one(client, published_2026):
    response = client.get(reverse("public-stocktake-pdf", args=[2026]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'filename="stocktake-2026.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "Diverse housing panels" in text
    assert "Confidential pilot" not in text


def test_the_list_shows_published_stocktakes_only(client, published_2026):
    draft(2027)
    html = client.get(reverse("public-stocktakes")).content.decode()
    assert "Annual stocktake 2026" in html
    assert "2027" not in html


def test_the_list_says_when_nothing_is_published(client, world):
    draft(2026)
    html = client.get(reverse("public-stocktakes")).content.decode()
    assert "No stocktake has been published yet." in html


@pytest.mark.parametrize("name, kwargs", PUBLIC_PAGES)
def test_an_unpublished_stocktake_is_not_there(client, world, name, kwargs):
    draft(2026)
    assert client.get(reverse(name, kwargs={"year": 2026, **kwargs})).status_code == 404
    client.force_login(world.team)  # not even for the programme team, at the public address
    assert client.get(reverse(name, kwargs={"year": 2026, **kwargs})).status_code == 404


def test_an_unknown_file_is_not_there(client, published_2026):
    assert client.get(reverse("public-stocktake-csv", args=[2026, "people"])).status_code == 404


def test_every_csv_has_the_columns_its_dictionary_describes(client, published_2026):
    dictionary = read_csv(client, "data-dictionary")
    for data_file in (*DATA_FILES, ALL_FILES["data-dictionary"]):
        response = client.get(reverse("public-stocktake-csv", args=[2026, data_file.name]))
        header = next(csv.reader(io.StringIO(response.content.decode())))
        described = [
            row["column"]
            for row in dictionary
            if row["file"] == data_file.filename and row["column"]
        ]
        assert header == described, data_file.filename
        about = [
            row for row in dictionary if row["file"] == data_file.filename and not row["column"]
        ]
        assert len(about) == 1 and about[0]["type"] == "file"
        assert "Open Government Licence v3.0" in about[0]["description"]
    for row in dictionary:
        assert row["type"] in {"file", "text", "code", "date", "number", "yes/no"}
        assert row["description"]


def test_the_csvs_hold_the_public_actions_targets_and_outcomes(client, published_2026):
    actions = read_csv(client, "actions")
    assert [a["ref"] for a in actions] == ["HOU-01", "HOU-02", "PH-01"]
    hou = actions[0]
    assert (hou["status"], hou["status_label"], hou["percent_complete"]) == (
        "on_track",
        "On track",
        "40",
    )
    assert hou["latest_update_narrative"] == "Panels recruited in two areas"
    assert hou["service_area"] == "Housing"
    targets = read_csv(client, "targets")
    assert [t["ref"] for t in targets] == ["HOU-T01", "HOU-T02"]
    assert targets[1]["target_value"] == "24" and targets[1]["kind"] == "numeric"
    outcomes = read_csv(client, "outcomes")
    assert [o["ref"] for o in outcomes] == ["HOU-O01"]
    assert outcomes[0]["action_refs"] == "HOU-01"
    assert outcomes[0]["group_share"] == "50"
    everything = "".join(
        client.get(reverse("public-stocktake-csv", args=[2026, name])).content.decode()
        for name in ALL_FILES
    )
    for secret in ("HOU-03", "Confidential pilot", "HOU-T03", "HOU-O02"):
        assert secret not in everything


def test_small_numbers_never_appear_in_the_measurements_csv(client, published_2026):
    rows = read_csv(client, "measurements")
    june = {r["group"]: r for r in rows if r["period_end"] == "2026-06-30"}
    assert june[""]["value"] == "60"  # the total is published
    assert june["White"]["value"] == "50"
    assert june["White"]["share_percent"] == "83.3"
    small = june["Black, Asian and Minority Ethnic"]
    assert (small["value"], small["share_percent"], small["suppressed"]) == (
        "fewer than 5",
        "",
        "yes",
    )
    assert small["expected_share_percent"] == "50"
    assert (june["Mixed"]["value"], june["Mixed"]["suppressed"]) == ("not shown", "yes")
    march = {r["group"]: r["value"] for r in rows if r["period_end"] == "2026-03-31"}
    assert march == {"": "40", "Black, Asian and Minority Ethnic": "20", "White": "20"}
    numbers = {r["value"] for r in rows}
    assert "3" not in numbers and "7" not in numbers


def test_text_that_looks_like_a_formula_is_made_safe(client, stocktake_world):
    from actions.models import Action

    action = Action.objects.get(ref="HOU-02")
    action.title = '=HYPERLINK("http://evil.example")'
    action.save()
    published(2026)
    actions = read_csv(client, "actions")
    assert actions[1]["title"] == '\'=HYPERLINK("http://evil.example")'


def test_the_data_page_lists_the_files_and_the_dictionary(client, published_2026):
    html = client.get(reverse("public-stocktake-data", args=[2026])).content.decode()
    for name in ALL_FILES:
        assert reverse("public-stocktake-csv", args=[2026, name]) in html
    assert "Open Government Licence v3.0" in html
    assert "<code>share_percent</code>" in html
    assert "fewer than 5" in html
