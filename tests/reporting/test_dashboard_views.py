"""The dashboard page: who may see it, its filters in the URL, htmx, and its downloads."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.urls import reverse

from actions.filters import ActionFilterForm
from actions.models import Challenge
from config import roles
from tests import factories
from tests.reporting import dashboard_world as programme

pytestmark = pytest.mark.django_db
dashboard_world = programme.dashboard_world  # the fixture
URL = "/dashboard/"


@pytest.fixture
def board(as_user, dashboard_world):
    return as_user(dashboard_world.world.board)


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def title(response) -> str:
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


# --- who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["director", "other_director", "lead"])
def test_only_the_board_and_the_programme_team_see_the_dashboard(as_user, world, who):
    response = as_user(getattr(world, who)).get(URL)
    assert response.status_code == 403


def test_anyone_signed_out_is_sent_to_sign_in(client, world):
    response = client.get(URL + "?area=HOU")
    assert response.status_code == 302
    assert response.url.startswith(reverse("sign-in"))


def test_the_programme_team_sees_the_dashboard_too(as_user, dashboard_world):
    response = as_user(dashboard_world.world.team).get(URL)
    assert response.status_code == 200


def test_downloads_are_refused_to_others_too(as_user, dashboard_world):
    client = as_user(dashboard_world.world.director)
    assert client.get(URL + "?format=csv&table=late-actions").status_code == 403


def test_the_dashboard_is_in_the_navigation_of_the_board_and_team_only(as_user, dashboard_world):
    w = dashboard_world.world
    for person, shown in [(w.board, True), (w.team, True), (w.director, False), (w.lead, False)]:
        nav = as_user(person).get(reverse("my-actions")).context["nav"]
        assert ("Dashboard" in [label for label, *_ in nav]) is shown


# --- the page ------------------------------------------------------------------------------


def test_the_page_shows_every_figure(board):
    response = board.get(URL)
    assert response.status_code == 200
    page = text(response)
    assert title(response).startswith("Programme Board dashboard")
    for words in [
        "3 live actions",
        "2 late for update",
        "1 target overdue",
        "3 targets due in the next 90 days",
        "1 outcome where a group falls short",
        "1 open challenge",
        "9 changes since",
        "HOU-02",  # late
        "HOU-T01",  # overdue
        "When will it recover?",
        "Black, Asian and Minority Ethnic: 40.0% against 50% equity share (should be at least 50%) Under-represented",
        "Disabled: 35.0% against 30% population benchmark (should be at least 30%) Meets it",
        "Improving",
        "Worsening",
    ]:
        assert words in page, words
    assert "Who is on the panel?" not in page  # answered
    assert page.count('role="img"') == 0  # (text() strips tags; the charts are checked below)
    html = response.content.decode()
    assert html.count('role="img"') == 3  # status by area, HOU-O01's trend and its shares


def test_the_trend_shows_the_outcome_asked_for(board):
    response = board.get(URL + "?outcome=PH-O01")
    assert "Charts of PH-O01: People diagnosed with diabetes" in text(response)


def test_an_outcome_not_in_view_falls_back_and_says_so(board):
    response = board.get(URL + "?outcome=NOPE")
    page = text(response)
    assert "The outcome asked for in the address is not among" in page
    assert "Charts of HOU-O01" in page


def test_filters_apply_from_the_address_and_show_in_the_form(board):
    response = board.get(URL + "?area=PH&status=off_track")
    page = text(response)
    assert "For the 1 action that matches the filters" in page
    form = response.context["action_form"]
    assert (form["area"].value(), form["status"].value()) == ("PH", ["off_track"])
    html = response.content.decode()
    assert '<option value="PH" selected>' in html
    assert 'value="off_track" checked' in html
    assert "Clear filters" in page


def test_blank_filters_from_a_plain_form_are_dropped_from_the_address(board):
    response = board.get(URL + "?strand=&area=PH&status=&since_day=&since_month=&since_year=")
    assert response.status_code == 302
    assert response.url == URL + "?area=PH"


@pytest.mark.parametrize("bad", ["area=NOPE", "owner=999999", "owner=x", "update=soon", "due=x"])
def test_a_bad_filter_is_ignored_as_in_the_framework_browser_and_the_others_still_apply(board, bad):
    response = board.get(f"{URL}?{bad}&status=off_track")
    assert response.status_code == 200
    assert not title(response).startswith("Error:")
    page = text(response)
    assert "There is a problem" not in page
    assert "For the 1 action that matches the filters" in page  # the status still applies


@pytest.mark.parametrize(
    "query, message",
    [
        ("since_day=31&since_month=2&since_year=2026", "Date must be a real date"),
        ("since_day=1&since_month=1&since_year=3000", "must be today or earlier"),
        ("since=yesterday", "Enter the date to show changes since"),
    ],
)
def test_a_bad_date_typed_is_reported_not_a_failure(board, query, message):
    response = board.get(f"{URL}?{query}")
    assert response.status_code == 200
    assert title(response).startswith("Error: Programme Board dashboard")
    assert message in text(response)


def offered(form) -> dict:
    return {name: list(getattr(field, "choices", [])) for name, field in form.fields.items()}


def test_the_dashboard_offers_the_framework_browsers_filters_with_the_same_choices(board):
    dashboard = board.get(URL).context["action_form"]
    browser = board.get("/framework/").context["form"]
    assert isinstance(dashboard, ActionFilterForm) and isinstance(browser, ActionFilterForm)
    assert offered(dashboard) == offered(browser)
    assert ("past_due", "Past its due date") not in offered(dashboard)["update"]
    assert ("overdue", "Past its due date") in offered(dashboard)["due"]


def test_the_date_to_show_changes_since_can_be_typed_or_given_in_the_address(board):
    typed = board.get(URL + "?since_day=1&since_month=1&since_year=2025")
    linked = board.get(URL + "?since=2025-01-01")
    for response in (typed, linked):
        assert "What changed since 1 January 2025" in text(response)
        assert response.context["figures"].changes.new_measurements.total == 4


def test_htmx_gets_the_results_alone_and_the_address_to_show(board):
    response = board.get(
        URL + "?area=PH&status=", headers={"HX-Request": "true", "HX-Target": "dashboard-body"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="dashboard-body">')
    assert response.headers["HX-Push-Url"] == URL + "?area=PH"
    assert 'hx-swap-oob="innerHTML"' in html  # the announcement for screen readers
    assert "<title>Programme Board dashboard" in html


@pytest.mark.parametrize(
    "headers",
    [
        {"HX-Request": "true", "HX-Boosted": "true"},
        {"HX-Request": "true", "HX-History-Restore-Request": "true"},
    ],
)
def test_boosted_and_history_restore_requests_get_the_whole_page(board, headers):
    response = board.get(URL + "?area=PH", headers=headers)
    assert "<html" in response.content.decode()


def test_an_empty_programme_says_so(as_user):
    board = factories.person("b@council.example", role=roles.PROGRAMME_BOARD)
    response = as_user(board).get(URL)
    page = text(response)
    assert response.status_code == 200
    assert "No actions match the filters" in page
    assert "No reporting cycle has started" in page
    assert "No measured outcome matches the filters" in page


# --- downloads ------------------------------------------------------------------------------


def download(client, query: str):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200, response.content[:300]
    return response


def csv_rows(response) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_late_actions_download_as_csv_and_excel_with_the_same_rows(board, dashboard_world):
    rows = csv_rows(download(board, "format=csv&table=late-actions"))
    assert rows[0] == [
        "Action",
        "Title",
        "Service area",
        "Owner",
        "Lead officer",
        "Status",
        "Last update",
    ]
    assert [r[0] for r in rows[1:]] == ["HOU-02", "PH-01"]
    assert rows[1][3] == "Hana Osei"
    excel = xlsx_rows(download(board, "format=xlsx&table=late-actions"))
    assert excel[0] == rows[0]
    assert [r[0] for r in excel[1:]] == ["HOU-02", "PH-01"]


def test_a_download_keeps_the_filters(board):
    rows = csv_rows(download(board, "area=PH&format=csv&table=late-actions"))
    assert [r[0] for r in rows[1:]] == ["PH-01"]


def test_the_page_shows_the_first_ten_of_a_long_list_and_the_download_has_them_all(
    board, dashboard_world
):
    for n in range(12):
        factories.action(f"HOU-{n + 10}", area=dashboard_world.world.housing)
    page = text(board.get(URL))
    assert "Showing the first 10 of 14 late actions" in page
    rows = csv_rows(download(board, "format=csv&table=late-actions"))
    assert len(rows) == 1 + 14


def test_status_counts_download(board):
    rows = csv_rows(download(board, "format=csv&table=status-by-area"))
    assert rows[0][:3] == ["Strand", "Service area", "Not started"]
    assert ["Service provider", "Housing", "1", "0", "1", "0", "0", "0", "2"] in rows
    assert rows[-1] == ["", "All service areas", "1", "0", "1", "1", "1", "0", "4"]
    excel = xlsx_rows(download(board, "format=xlsx&table=status-by-strand"))
    assert excel[-1] == ["All strands", 1, 0, 1, 1, 1, 0, 4]  # numbers stay numbers


def test_outcomes_and_group_shares_download(board):
    outcomes = csv_rows(download(board, "format=csv&table=outcomes"))
    header, hou = outcomes[0], outcomes[1]
    row = dict(zip(header, hou, strict=True))
    assert row["Outcome"] == "HOU-O01"
    assert (row["Latest value"], row["Previous value"]) == ("300", "200")
    assert (row["Direction of travel"], row["Falls short"]) == ("Improving", "Yes")
    assert (row["Group's share (%)"], row["Share it should have (%)"]) == ("40", "50")
    assert (row["Should be"], row["Against the share it should have"]) == (
        "at least 50%",
        "Under-represented",
    )
    shares = csv_rows(download(board, "format=csv&table=group-shares"))
    assert [
        "HOU-O01",
        "2026-03-31",
        "ethnicity",
        "White",
        "180",
        "60",
        "",
        "",
        "",
        "",
        "",
    ] in shares
    assert [
        "HOU-O01",
        "2026-03-31",
        "ethnicity",
        "Black, Asian and Minority Ethnic",
        "120",
        "40",
        "50",
        "equity share",
        "at least 50%",
        "Yes",
        "Under-represented",
    ] in shares


@pytest.mark.parametrize(
    "table, first_cell",
    [
        ("targets-overdue", "HOU-T01"),
        ("targets-due-soon", "EMP-T02"),
        ("challenges", "PH-01"),
        ("status-changes", None),
        ("targets-met-or-missed", None),
        ("new-measurements", None),
        ("trend", "2025-12-31"),
    ],
)
def test_every_table_downloads_in_both_formats(board, table, first_cell):
    rows = csv_rows(download(board, f"format=csv&table={table}"))
    excel = xlsx_rows(download(board, f"format=xlsx&table={table}"))
    assert len(rows) == len(excel) > 1
    if first_cell:
        assert rows[1][0] == first_cell


def test_formula_like_text_is_neutralised_in_downloads(board, dashboard_world):
    Challenge.objects.create(
        action=dashboard_world.world.other_action,
        question='=HYPERLINK("http://evil.example","click")',
        raised_by=dashboard_world.world.board,
    )
    rows = csv_rows(download(board, "format=csv&table=challenges"))
    assert '\'=HYPERLINK("http://evil.example","click")' in [r[2] for r in rows]
    excel = xlsx_rows(download(board, "format=xlsx&table=challenges"))
    cell = next(r[2] for r in excel if "HYPERLINK" in str(r[2]))
    assert cell.startswith("'=")
    workbook = openpyxl.load_workbook(
        io.BytesIO(download(board, "format=xlsx&table=challenges").content)
    )
    assert all(c.data_type != "f" for row in workbook.active.iter_rows() for c in row)


@pytest.mark.parametrize(
    "query", ["format=pdf&table=late-actions", "format=csv&table=nope", "table=late-actions"]
)
def test_an_unknown_download_is_not_found(board, query):
    assert board.get(f"{URL}?{query}").status_code == 404


def test_the_page_links_every_download_with_its_filters(board):
    html = board.get(URL + "?area=PH").content.decode()
    assert "?area=PH&amp;format=csv&amp;table=late-actions" in html
    assert "?area=PH&amp;format=xlsx&amp;table=late-actions" in html


def test_the_cycle_is_said_to_have_closed_once_its_close_date_has_passed(board, dashboard_world):
    """The world's cycle closed two days ago; later, one still open says when it closes."""
    page = text(board.get(URL))
    assert f"{dashboard_world.cycle.name}, which closed on" in page
    assert "closesd" not in page
    cycle = dashboard_world.cycle
    cycle.close_date = dashboard_world.today + datetime.timedelta(days=5)
    cycle.save()
    page = text(board.get(URL))
    assert f"{cycle.name}, which closes on" in page
