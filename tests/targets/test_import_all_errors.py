"""An import reports every problem at once: a wrong heading no longer hides the rest."""

import pytest

from tests.strands.helpers import framework_counts, import_errors, rewrite

pytestmark = pytest.mark.django_db


def test_a_header_error_and_seven_cell_errors_are_all_reported_once(anytown_copy):
    # An unknown column in targets: that sheet's rows cannot be checked, the others still are.
    rewrite(anytown_copy, "targets", "unit,status", "unit,status,rag_rating")
    # Seven cell errors in other sheets and columns.
    rewrite(anytown_copy, "strands", "ST-SERV,Anytown as a service provider,", "ST-SERV,,")
    rewrite(anytown_copy, "service_areas", "jo.jobs@anytown.example", "not-an-email")
    rewrite(anytown_copy, "actions", "on_track,40", "flying,40")
    rewrite(anytown_copy, "actions", "2025-04-01,2026-03-31", "2025-04-01,31/13/2026")
    rewrite(anytown_copy, "outcomes", "count,increase,0,1200", "count,sideways,0,1200")
    rewrite(
        anytown_copy,
        "outcomes",
        'ethnicity,"Black, Asian and Minority Ethnic",50,38.5',
        'ethnicity,"Black, Asian and Minority Ethnic",150,38.5',
    )
    rewrite(anytown_copy, "measurements", "JOBS-O1,2025-06-30,80,", "JOBS-O1,2025-06-30,eighty,")

    errors = import_errors(anytown_copy)

    assert len(errors) == 8, "\n".join(errors)
    assert len(set(errors)) == 8
    by_place = {line.split(":")[0] for line in errors}
    assert by_place == {
        "strands row 3, column name",
        "service_areas row 4, column director_email",
        "actions row 2, column status",
        "actions row 2, column due",
        "outcomes row 2, column direction",
        "outcomes row 3, column group_share",
        "measurements row 2, column value",
        "targets row 1, column 11",  # the heading is named once, in the message
    }
    # References into the unreadable targets sheet are not reported as unknown.
    assert not any("is not a target" in line for line in errors)
    assert set(framework_counts().values()) == {0}


def test_a_missing_sheet_is_reported_with_the_other_sheets_problems(anytown_copy):
    (anytown_copy / "measurements.csv").unlink()
    rewrite(anytown_copy, "actions", "on_track,40", "flying,40")
    errors = import_errors(anytown_copy)
    assert any("measurements.csv is missing" in line for line in errors)
    assert any(line.startswith("actions row 2, column status") for line in errors)


def test_a_row_with_values_beyond_the_headings_does_not_hide_other_problems(anytown_copy):
    rewrite(anytown_copy, "strands", "ST-SERV,Anytown as a service provider,", "ST-SERV,Anytown,,x")
    rewrite(anytown_copy, "actions", "on_track,40", "flying,40")
    errors = import_errors(anytown_copy)
    assert "strands row 3: this row has values beyond the last column heading." in errors
    assert any(line.startswith("actions row 2, column status") for line in errors)
