"""The framework browser: who sees what, each filter and the search on a hand-built data set,
HTMX and plain requests, paging, and the same number of queries at two sizes."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import Action, ProgressUpdate, ReportingCycle
from config import roles
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/framework/"
HX = {"HX-Request": "true"}
TODAY = datetime.date.today()


@pytest.fixture
def framework(world):
    """The world's HOU-01 (delegated), HOU-02 and PH-01, plus an employer strand with two more.

    HOU-01  not started, race, due in 30 days, updated in the cycle
    HOU-02  at risk, disability, due 10 days ago (past due), no update
    PH-01   on track, race and age, no due date, updated before the cycle opened
    EMP-01  off track, socio-economic, due in 200 days, owner: the Board-less employer director
    EMP-02  complete (owes nothing), race, due 40 days ago
    """
    employer = factories.strand("EMP", name="Employer", position=2)
    staff_director = factories.person("staff.director@council.example", role=roles.SERVICE_DIRECTOR)
    area = factories.service_area("STAFF", strand_=employer, name="Staff", director=staff_director)
    a = world
    _set(a.action, due_date=TODAY + datetime.timedelta(days=30), chars=["race"])
    _set(
        a.undelegated,
        status="at_risk",
        due_date=TODAY - datetime.timedelta(days=10),
        chars=["disability"],
        planned_action="We will recruit tenant panels in every estate",
    )
    _set(a.other_action, status="on_track", chars=["race", "age"], issue="Diabetes rates differ")
    emp1 = factories.action(
        "EMP-01",
        area=area,
        title="Fair recruitment panels",
        status="off_track",
        due_date=TODAY + datetime.timedelta(days=200),
        evidence="Shortlisting rates by ethnicity",
    )
    _set(emp1, chars=["socio_economic"])
    emp2 = factories.action(
        "EMP-02",
        area=area,
        title="Mentoring scheme",
        status="complete",
        progress=100,
        due_date=TODAY - datetime.timedelta(days=40),
    )
    _set(emp2, chars=["race"])
    cycle = ReportingCycle.objects.create(
        name="Q",
        start_date=TODAY - datetime.timedelta(days=20),
        close_date=TODAY + datetime.timedelta(days=10),
    )
    ProgressUpdate.objects.create(
        action=a.action, status="not_started", progress=5, author=a.lead, narrative="Started"
    )
    ProgressUpdate.objects.create(
        action=a.other_action,
        status="on_track",
        progress=20,
        author=a.other_director,
        # The day before the cycle opened, whatever the time (TODAY is fixed when the tests start:
        # "now - 21 days" fell inside the cycle for a run that crossed midnight).
        created_at=timezone.make_aware(
            datetime.datetime.combine(
                cycle.start_date - datetime.timedelta(days=1), datetime.time(12)
            )
        ),
    )
    world.cycle = cycle
    world.staff_director = staff_director
    return world


def _set(action, chars=(), **fields):
    for name, value in fields.items():
        setattr(action, name, value)
    action.save()
    if chars:
        action.characteristics.set(chars)


def refs(response) -> list[str]:
    return [a.ref for a in response.context["page"].object_list]


def get(client, query="", **headers):
    response = client.get(URL + (f"?{query}" if query else ""), headers=headers)
    assert response.status_code == 200
    return response


ALL = ["HOU-01", "HOU-02", "PH-01", "EMP-01", "EMP-02"]


# --- Who sees what ---------------------------------------------------------------------------------


def test_the_board_and_the_team_see_every_action_in_framework_order(as_user, framework):
    assert refs(get(as_user(framework.board))) == ALL
    assert refs(get(as_user(framework.team))) == ALL


def test_a_director_sees_only_the_actions_within_their_reach(as_user, framework):
    assert refs(get(as_user(framework.director))) == ["HOU-01", "HOU-02"]
    assert refs(get(as_user(framework.lead))) == ["HOU-01"]


def test_a_filter_cannot_reach_beyond_what_the_person_may_see(as_user, framework):
    client = as_user(framework.director)
    assert refs(get(client, "area=PH")) == ["HOU-01", "HOU-02"]  # PH is not one of their areas
    assert refs(get(client, "q=diabetes")) == []
    page = get(client).text
    assert "Public Health" not in page and "Diabetes" not in page


def test_anyone_not_signed_in_is_sent_to_sign_in(client, framework):
    response = client.get(URL)
    assert response.status_code == 302 and response.url.startswith("/sign-in/")


# --- Each filter -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, expected",
    [
        ("strand=EMP", ["EMP-01", "EMP-02"]),
        ("strand=SERV", ["HOU-01", "HOU-02", "PH-01"]),
        ("area=HOU", ["HOU-01", "HOU-02"]),
        ("status=at_risk", ["HOU-02"]),
        ("status=at_risk&status=off_track", ["HOU-02", "EMP-01"]),
        ("status=complete", ["EMP-02"]),
        ("characteristic=race", ["HOU-01", "PH-01", "EMP-02"]),
        ("characteristic=age", ["PH-01"]),
        ("characteristic=sex", []),
        ("update=updated", ["HOU-01"]),
        ("update=due", ["HOU-02", "PH-01", "EMP-01"]),  # PH-01's update came before the cycle
        ("update=due_or_late", ["HOU-02", "PH-01", "EMP-01"]),
        ("update=late", []),  # the cycle has not closed
        ("due=overdue", ["HOU-02"]),  # EMP-02 is past due but complete
        ("due=soon", ["HOU-01"]),
        ("strand=SERV&characteristic=race&status=on_track", ["PH-01"]),
    ],
)
def test_each_filter_returns_exactly_the_right_actions(as_user, framework, query, expected):
    assert refs(get(as_user(framework.board), query)) == expected


def test_the_owner_filter_covers_owners_directors_of_unowned_actions_and_lead_officers(
    as_user, framework
):
    client = as_user(framework.team)
    assert refs(get(client, f"owner={framework.director.pk}")) == ["HOU-01", "HOU-02"]
    assert refs(get(client, f"owner={framework.lead.pk}")) == ["HOU-01"]
    assert refs(get(client, f"owner={framework.staff_director.pk}")) == ["EMP-01", "EMP-02"]
    emp1 = Action.objects.get(ref="EMP-01")  # an owner named instead of the director
    emp1.owner = framework.other_director
    emp1.save()
    assert refs(get(client, f"owner={framework.staff_director.pk}")) == ["EMP-02"]
    assert refs(get(client, f"owner={framework.other_director.pk}")) == ["PH-01", "EMP-01"]


def test_late_after_the_close_date(as_user, framework):
    cycle = framework.cycle
    cycle.close_date = TODAY - datetime.timedelta(days=1)
    cycle.save()
    client = as_user(framework.board)
    assert refs(get(client, "update=late")) == ["HOU-02", "PH-01", "EMP-01"]
    assert refs(get(client, "update=due")) == []


def test_without_a_cycle_nothing_is_due_or_late(as_user, framework):
    ReportingCycle.objects.all().delete()
    assert refs(get(as_user(framework.board), "update=due_or_late")) == []


# --- Search ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words, expected",
    [
        ("panels", ["HOU-01", "HOU-02", "EMP-01"]),  # a title, the planned action, a title
        ("PANELS", ["HOU-01", "HOU-02", "EMP-01"]),  # any case
        ("tenant estate", ["HOU-02"]),  # every word must match, in any of the fields
        ("diabetes", ["PH-01"]),  # the title and the issue
        ("shortlisting", ["EMP-01"]),  # "how will we know": the evidence
        ("emp-02", ["EMP-02"]),  # the reference
        ("nothing-like-this", []),
    ],
)
def test_search_looks_in_titles_the_four_questions_and_refs(as_user, framework, words, expected):
    from urllib.parse import urlencode

    assert refs(get(as_user(framework.board), urlencode({"q": words}))) == expected


# --- What the page says ----------------------------------------------------------------------------


def test_the_page_groups_actions_by_strand_and_area_with_status_owner_due_and_cycle_state(
    as_user, framework
):
    text = get(as_user(framework.board)).text.split('id="framework-results"')[1]
    assert text.index("Service provider") < text.index("Housing") < text.index("Employer")
    assert "At risk" in text and "govuk-tag--yellow" in text  # words and colour
    assert "Hana Osei" in text  # the director owns the unowned actions
    assert "Lead officer: lead@council.example" in text
    assert "Past due" in text  # HOU-02
    assert "Update due" in text and "Updated" in text
    assert "Service director: Hana Osei" in text
    assert '<p id="framework-count"' in get(as_user(framework.board)).text
    assert "<strong>5</strong> actions." in get(as_user(framework.board)).text


def test_the_filters_in_words_and_an_empty_state(as_user, framework):
    text = get(as_user(framework.board), "status=closed&q=zebra").text
    assert "No actions match these filters" in text
    assert "Status: Closed" in text and "matching “zebra”" in text


def test_someone_with_nothing_to_see_is_told_why(as_user, framework):
    newcomer = factories.person("new.director@council.example", role=roles.SERVICE_DIRECTOR)
    text = get(as_user(newcomer)).text
    assert "There are no actions for you to see yet." in text
    assert "ask the programme team" in text


def test_a_value_that_is_not_a_choice_is_ignored_not_an_error(as_user, framework):
    response = get(as_user(framework.board), "strand=GONE&status=bogus&owner=abc&page=99")
    assert refs(response) == ALL
    assert "govuk-error" not in response.text


def test_the_chosen_filters_stay_selected_in_the_form(as_user, framework):
    text = get(as_user(framework.board), "status=at_risk&area=HOU&q=tenant").text
    assert 'value="at_risk" checked' in text
    assert '<option value="HOU" selected>' in text
    assert 'value="tenant"' in text


# --- HTMX and history ------------------------------------------------------------------------------


def test_an_htmx_request_gets_the_results_and_the_count_alone(as_user, framework):
    response = get(as_user(framework.board), "status=at_risk", **HX)
    text = response.text
    assert "<html" not in text and "Filter actions" not in text
    assert 'id="framework-results"' in text
    assert 'id="framework-count" hx-swap-oob="innerHTML"' in text
    assert "HOU-02" in text and "PH-01" not in text


@pytest.mark.parametrize(
    "headers",
    [
        {},  # no JavaScript
        {"HX-History-Restore-Request": "true"},  # the back button, not in htmx's cache
        {"HX-Request": "true", "HX-Boosted": "true"},
    ],
)
def test_plain_history_restore_and_boosted_requests_get_the_whole_page(as_user, framework, headers):
    text = get(as_user(framework.board), "status=at_risk", **headers).text
    assert "<html" in text and "Filter actions" in text
    assert "hx-swap-oob" not in text
    assert 'hx-history="false"' in text  # going back always asks the server, so form and URL agree


def test_blank_filters_are_dropped_from_the_address(as_user, framework):
    client = as_user(framework.board)
    response = client.get(URL + "?q=&strand=&status=at_risk&area=")
    assert response.status_code == 302 and response.url == URL + "?status=at_risk"
    assert client.get(URL + "?q=&strand=").url == URL
    partial = client.get(URL + "?q=&strand=&status=at_risk", headers=HX)
    assert partial.status_code == 200
    assert partial["HX-Push-Url"] == URL + "?status=at_risk"
    assert 'href="?status=at_risk&amp;page=2"' not in partial.text  # one page only


def test_the_form_works_without_javascript_and_pushes_its_url_with_it(as_user, framework):
    text = get(as_user(framework.board)).text
    assert re.search(r'<form method="get"\s+action="/framework/"', text)
    assert 'hx-get="/framework/"' in text and 'hx-push-url="true"' in text
    assert 'hx-target="#framework-results"' in text


# --- Paging ----------------------------------------------------------------------------------------


def test_pages_keep_the_filters(as_user, framework, settings):
    settings.FRAMEWORK_BROWSER_PAGE_SIZE = 2
    client = as_user(framework.board)
    first = get(client, "characteristic=race")
    assert refs(first) == ["HOU-01", "PH-01"]
    assert "Showing 1 to 2 of <strong>3</strong> actions" in first.text
    assert 'href="?characteristic=race&amp;page=2"' in first.text
    second = get(client, "characteristic=race&page=2")
    assert refs(second) == ["EMP-02"]
    assert 'rel="prev"' in second.text


# --- Queries ---------------------------------------------------------------------------------------


def build(areas: int, director, lead):
    strand = factories.strand()
    for _ in range(areas):
        area = factories.service_area(strand_=strand, director=director)
        for n in range(4):
            action = factories.action(area=area, lead_officer=lead if n == 0 else None)
            action.characteristics.set(["race", "age"])
            ProgressUpdate.objects.create(
                action=action, status="on_track", progress=10, author=director
            )


def count_queries(client, query) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL + query)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query",
    ["", "?status=on_track&characteristic=race&q=action", "?update=updated&due=overdue"],
)
def test_the_same_number_of_queries_at_two_sizes(client, query):
    director = factories.person("d@council.example", role=roles.SERVICE_DIRECTOR)
    lead = factories.person("l@council.example", role=roles.LEAD_OFFICER)
    board = factories.person("b@council.example", role=roles.PROGRAMME_BOARD)
    ReportingCycle.objects.create(name="Now", start_date=TODAY, close_date=TODAY)
    client.force_login(board)
    build(1, director, lead)
    small = count_queries(client, query)
    build(30, director, lead)  # 124 actions: more than two pages
    assert Action.objects.count() == 124
    large = count_queries(client, query)
    assert small == large
    assert small <= 14


def test_a_directors_page_makes_the_same_queries_at_two_sizes(client):
    director = factories.person("d@council.example", role=roles.SERVICE_DIRECTOR)
    lead = factories.person("l@council.example", role=roles.LEAD_OFFICER)
    client.force_login(director)
    build(1, director, lead)
    small = count_queries(client, "?characteristic=race")
    build(30, director, lead)
    assert count_queries(client, "?characteristic=race") == small
