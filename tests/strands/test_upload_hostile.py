"""Hostile files through the upload page: refused at once with the reader's message, nothing kept."""

import html

import pytest

from strands.models import FrameworkUpload
from tests.strands.hostile import members, rezip, sheet_member, workbook_from_csvs, zip_from_csvs
from tests.strands.test_upload import problem_lines, team, upload  # noqa: F401  (team: a fixture)

pytestmark = pytest.mark.django_db


def test_a_zip_bomb_is_refused_before_it_is_unzipped(team, anytown_dir, settings):  # noqa: F811
    settings.FRAMEWORK_IMPORT_MAX_UNZIPPED_BYTES = 1024 * 1024
    bomb = rezip(zip_from_csvs(anytown_dir), add={"padding.csv": b"\0" * (4 * 1024 * 1024)})
    response = upload(team, "bomb.zip", bomb)
    assert response.status_code == 422
    assert problem_lines(response) == [
        "The zip file would unzip to more than 1 MB, the most a framework may be."
    ]
    assert not FrameworkUpload.objects.exists()


def test_a_workbook_reaching_the_last_cell_is_refused_at_once(team, anytown_dir):  # noqa: F811
    def far_cell(workbook):
        workbook["outcomes"]["XFD1048576"] = "far away"

    response = upload(team, "far.xlsx", workbook_from_csvs(anytown_dir, far_cell))
    assert response.status_code == 422
    assert problem_lines(response) == [
        'The sheet "outcomes" reaches column XFD and row 1,048,576; a sheet may reach column AX '
        "(the 50th) and row 50,001 at most. Delete the columns and rows beyond your data and try "
        "again."
    ]


def test_a_damaged_sheet_is_named_on_the_page(team, anytown_dir):  # noqa: F811
    data = workbook_from_csvs(anytown_dir)
    sheet = sheet_member(data, "targets")
    xml = members(data)[sheet].replace(b"</row>", b"</rowx>", 1)
    response = upload(team, "damaged.xlsx", rezip(data, {sheet: xml}))
    assert response.status_code == 422
    assert 'The sheet "targets" is damaged and could not be read.' in html.unescape(response.text)
    assert (
        "The file could not be read" not in response.text
    )  # the reader's own words, not a catch-all
