"""The open data as a Frictionless Data Package: datapackage.json beside the CSV files, checked
by the frictionless library as a data portal or a researcher would load it."""

import json
from decimal import Decimal
from urllib.parse import urljoin

import frictionless
import pytest
from django.urls import reverse

from reporting.stocktake.opendata import ALL_FILES, DATA_FILES
from tests.reporting.stocktake_world import published

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_2026(stocktake_world):
    return published(2026, by=stocktake_world.world.team)


def download_package(client, folder) -> dict:
    """datapackage.json and every file it names, fetched from where it says, into ``folder``."""
    url = reverse("public-stocktake-datapackage", args=[2026])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    descriptor = json.loads(response.content)
    (folder / "datapackage.json").write_bytes(response.content)
    for resource in descriptor["resources"]:
        file = client.get(urljoin(url, resource["path"]))
        assert file.status_code == 200, resource["path"]
        (folder / resource["path"]).write_bytes(file.content)
    return descriptor


def test_the_data_package_describes_every_file_and_frictionless_finds_no_error(
    client, published_2026, tmp_path
):
    descriptor = download_package(client, tmp_path)
    report = frictionless.Package(str(tmp_path / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == len(ALL_FILES)

    assert descriptor["name"] == "stocktake-2026"
    assert descriptor["title"] == (
        "Challenging Inequality Programme: annual stocktake 2026: open data"
    )
    assert descriptor["licenses"][0]["name"] == "OGL-UK-3.0"
    assert "open-government-licence/version/3" in descriptor["licenses"][0]["path"]
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) == set(ALL_FILES)
    for data_file in DATA_FILES:
        resource = resources[data_file.name]
        assert resource["title"] == data_file.title
        assert resource["description"] == data_file.description
        # The data dictionary's words, column by column.
        assert [(f["name"], f["description"]) for f in resource["schema"]["fields"]] == [
            (c.name, c.described()) for c in data_file.columns
        ]


def test_a_program_reads_the_files_with_their_types(client, published_2026, tmp_path):
    download_package(client, tmp_path)
    package = frictionless.Package(str(tmp_path / "datapackage.json"))
    actions = {row["ref"]: row for row in package.get_resource("actions").read_rows()}
    assert actions["HOU-01"]["percent_complete"] == 40
    assert actions["PH-01"]["percent_complete"] == 100
    assert actions["HOU-01"]["demo_data"] is False
    targets = {row["ref"]: row for row in package.get_resource("targets").read_rows()}
    assert targets["HOU-T02"]["target_value"] == Decimal(24)
    values = [
        row
        for row in package.get_resource("measurements").read_rows()
        if row["indicator_ref"] == "HOU-O01" and row["period_end"].isoformat() == "2026-06-30"
    ]
    by_group = {row["group"]: row for row in values}
    assert by_group[None]["value"] == Decimal(60)  # the total
    # The small number reads as "fewer than 5" in the file: to a program, a missing value.
    small = by_group["Black, Asian and Minority Ethnic"]
    assert small["value"] is None and small["suppressed"] is True


def test_frictionless_would_catch_a_file_that_does_not_match_its_description(
    client, published_2026, tmp_path
):
    """The check above can fail: a number column holding words is an error."""
    download_package(client, tmp_path)
    actions = tmp_path / "actions.csv"
    text = actions.read_text(encoding="utf-8")
    actions.write_text(text.replace(",40,", ",forty,", 1), encoding="utf-8")
    report = frictionless.Package(str(tmp_path / "datapackage.json")).validate()
    assert not report.valid
    assert [e[2] for e in report.flatten(["rowNumber", "fieldName", "type"])] == ["type-error"]


def test_the_data_page_links_the_data_package(client, published_2026):
    response = client.get(reverse("public-stocktake-data", args=[2026]))
    assert reverse("public-stocktake-datapackage", args=[2026]) in response.content.decode()
    assert "Frictionless Data Package" in response.content.decode()
