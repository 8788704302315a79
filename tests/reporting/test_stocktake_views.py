"""The programme team's stocktake pages, and the background task that makes the PDF.

The tests run django-tasks' ImmediateBackend, so the task runs inside the request that asks for it.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.models import Status
from reporting.models import Stocktake, StocktakeRender
from reporting.stocktake import services
from reporting.tasks import render_stocktake_pdf
from tests.reporting.stocktake_world import (
    draft,
    pdf_text,
    progress,
    published,
)
from tests.webforms import assert_links_resolve, fill, form_to

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def date_fields(day: datetime.date, prefix="as_at") -> dict:
    return {f"{prefix}_day": day.day, f"{prefix}_month": day.month, f"{prefix}_year": day.year}


@pytest.fixture
def team(as_user, world):
    return as_user(world.team)


@pytest.fixture
def team_web(web, world):
    """The programme team in django-webtest, to fill and submit the forms the pages render."""
    return web(world.team)


def submit_on(app, page_url: str, form_url: str, data=None, **kwargs):
    """Fetch page_url, fill its form posting to form_url with data, and submit it."""
    form = form_to(app.get(page_url), form_url)
    return fill(form, data or {}).submit(**kwargs)


@pytest.fixture
def broken_weasyprint(monkeypatch):
    """WeasyPrint fails the way it would on a document it cannot lay out."""

    class Broken:
        def __init__(self, *args, **kwargs):
            raise RuntimeError("Layout failed on page 3")

    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", Broken)


# --- starting -----------------------------------------------------------------------------------


def test_the_team_starts_the_first_stocktake(team_web, world):
    page = team_web.get(reverse("stocktake-list"))
    assert "Start the first stocktake" in page.text
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    form = fill(
        form_to(page, reverse("stocktake-list")), {"year": "2026", **date_fields(yesterday)}
    )
    response = form.submit()
    assert response.status_code == 302
    assert response.location == reverse("stocktake-detail", args=[2026])
    stocktake = Stocktake.objects.get(year=2026)
    assert timezone.localtime(stocktake.as_at).date() == yesterday
    assert timezone.localtime(stocktake.as_at).time() == datetime.time.max
    assert (stocktake.state, stocktake.created_by) == ("draft", world.team)
    record = stocktake.history.latest()
    assert (record.history_user, record.history_change_reason) == (world.team, "Stocktake started")
    assert "The 2026 stocktake has been started." in response.follow().text


def test_today_means_now(team, world):
    before = timezone.now()
    team.post(reverse("stocktake-list"), {"year": "2026", **date_fields(timezone.localdate())})
    as_at = Stocktake.objects.get(year=2026).as_at
    assert before <= as_at <= timezone.now()


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"year": ""}, "year", "Enter the year, for example 2026"),
        ({"year": "26"}, "year", "Enter a year from 2000 to 2100"),
        ({"year": "twenty"}, "year", "Enter the year as 4 numbers, for example 2026"),
        (
            {"year": "2026", "as_at_day": "", "as_at_month": "", "as_at_year": ""},
            "as_at",
            "Enter the ‘as at’ date, for example 31 3 2026",
        ),
        (
            {"year": "2026", "as_at_day": "1", "as_at_month": "1", "as_at_year": "2999"},
            "as_at",
            "The ‘as at’ date must be today or in the past",
        ),
    ],
)
def test_starting_with_bad_input_says_why_and_changes_nothing(team_web, data, field, message):
    data = {**date_fields(timezone.localdate()), **data}
    url = reverse("stocktake-list")
    response = submit_on(team_web, url, url, data, status=422)
    assert message in response.text
    assert response.text.count(message) == 2  # in the summary and by the field
    assert "<title>Error: " in response.text
    assert f'href="#id_{field}' in response.text
    assert_links_resolve(response)
    assert not Stocktake.objects.exists()


def test_later_years_cannot_be_started_from_the_list(team, world):
    draft(2026)
    response = team.post(
        reverse("stocktake-list"), {"year": "2027", **date_fields(timezone.localdate())}
    )
    assert response.status_code == 422
    assert "Start later years from the published stocktake" in response.content.decode()
    assert list(Stocktake.objects.values_list("year", flat=True)) == [2026]


# --- the PDF, in the background ------------------------------------------------------------------


def test_making_the_pdf_runs_in_the_task_and_offers_the_download(team, team_web, stocktake_world):
    stocktake = draft(2026)
    page = team_web.get(reverse("stocktake-detail", args=[2026]))
    assert "No PDF has been made yet" in page.text
    assert "Make the PDF" in page.text
    response = form_to(page, reverse("stocktake-render", args=[2026])).submit()
    assert response.location == reverse("stocktake-detail", args=[2026]) + "#main-content"
    render = StocktakeRender.objects.get(stocktake=stocktake)
    assert (render.state, render.requested_by) == ("ready", stocktake_world.world.team)
    assert render.pages >= 5 and render.task_id
    page = team.get(reverse("stocktake-detail", args=[2026]))
    assert b"Ready" in page.content
    assert b"Download the draft PDF of the 2026 stocktake" in page.content
    download = team.get(reverse("stocktake-pdf", args=[2026]))
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="stocktake-2026-draft.pdf"' in download["Content-Disposition"]
    assert "Diverse housing panels" in pdf_text(download.content)


def test_asking_with_htmx_answers_with_the_status_panel(team_web, stocktake_world):
    draft(2026)
    detail = reverse("stocktake-detail", args=[2026])
    response = submit_on(team_web, detail, reverse("stocktake-render", args=[2026]), headers=HTMX)
    assert response.status_code == 200
    html = response.text
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="pdf-status"')
    assert "Ready" in html
    assert "every 2s" not in html  # finished: no more polling


def test_the_status_is_polled_while_the_pdf_is_being_made(team, world):
    stocktake = draft(2026)
    StocktakeRender.objects.create(
        stocktake=stocktake, as_at=stocktake.as_at, requested_by=world.team
    )
    partial = team.get(reverse("stocktake-detail", args=[2026]), headers=HTMX).content.decode()
    assert 'hx-trigger="every 2s"' in partial
    assert "Waiting to start" in partial
    assert "<html" not in partial
    page = team.get(reverse("stocktake-detail", args=[2026])).content.decode()
    assert "Check again" in page  # without JavaScript
    assert "Make the PDF" not in page
    # Asking again while one is being made is refused, and nothing new is queued.
    again = team.post(reverse("stocktake-render", args=[2026]), headers=HTMX)
    assert again.status_code == 409
    assert "The PDF is already being made" in again.content.decode()
    plain = team.post(reverse("stocktake-render", args=[2026]), follow=True)
    assert "The PDF is already being made" in plain.content.decode()
    assert stocktake.renders.count() == 1


def test_a_render_that_never_started_can_be_tried_again(team_web, stocktake_world):
    stocktake = draft(2026)
    stuck = StocktakeRender.objects.create(stocktake=stocktake, as_at=stocktake.as_at)
    StocktakeRender.objects.filter(pk=stuck.pk).update(
        requested_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = team_web.get(reverse("stocktake-detail", args=[2026]))
    assert "The PDF could not be made." in page.text
    assert "No background worker started making the PDF within 15 minutes" in page.text
    stuck.refresh_from_db()
    assert stuck.state == "failed"
    form = form_to(page, reverse("stocktake-render", args=[2026]))
    assert "Try again" in form.text
    form.submit()
    assert services.latest_render(stocktake).state == "ready"


def test_a_failed_render_says_why_and_can_be_retried(
    team, stocktake_world, broken_weasyprint, monkeypatch
):
    stocktake = draft(2026)
    response = team.post(reverse("stocktake-render", args=[2026]), headers=HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The PDF could not be made." in html
    assert "RuntimeError: Layout failed on page 3" in html
    assert "Try again" in html
    render = StocktakeRender.objects.get(stocktake=stocktake)
    assert (render.state, render.error) == ("failed", "RuntimeError: Layout failed on page 3")
    assert render.pdf is None
    assert team.get(reverse("stocktake-pdf", args=[2026])).status_code == 404
    monkeypatch.undo()  # WeasyPrint works again
    team.post(reverse("stocktake-render", args=[2026]))
    assert [r.state for r in stocktake.renders.order_by("id")] == ["failed", "ready"]
    page = team.get(reverse("stocktake-detail", args=[2026])).content.decode()
    assert "Download the draft PDF" in page


def test_the_task_records_success_and_failure(stocktake_world, broken_weasyprint, monkeypatch):
    from django_tasks.base import TaskResultStatus

    stocktake = draft(2026)
    failing = StocktakeRender.objects.create(stocktake=stocktake, as_at=stocktake.as_at)
    result = render_stocktake_pdf.enqueue(failing.pk)
    assert result.status == TaskResultStatus.FAILED
    failing.refresh_from_db()
    assert failing.state == "failed" and "Layout failed" in failing.error
    monkeypatch.undo()
    working = StocktakeRender.objects.create(stocktake=stocktake, as_at=stocktake.as_at)
    result = render_stocktake_pdf.enqueue(working.pk)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["state"] == "ready"
    # Delivered twice, a task does nothing the second time.
    again = render_stocktake_pdf.enqueue(working.pk)
    assert again.return_value["state"] == "ready"


def test_the_pdf_is_made_for_the_as_at_moment_it_was_asked_for(team, stocktake_world):
    world = stocktake_world.world
    stocktake = draft(2026)
    progress(world.action, world.director, Status.AT_RISK, 45, "Recorded after the as-at moment")
    team.post(reverse("stocktake-render", args=[2026]))
    text = pdf_text(bytes(services.latest_render(stocktake).pdf))
    assert "Panels recruited in two areas" in text
    assert "Recorded after the as-at moment" not in text


# --- the as-at date, previewing, publishing -------------------------------------------------------


def test_changing_the_as_at_date_makes_the_pdf_out_of_date(team, team_web, stocktake_world):
    stocktake = draft(2026)
    team.post(reverse("stocktake-render", args=[2026]))
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    detail = reverse("stocktake-detail", args=[2026])
    response = submit_on(
        team_web, detail, reverse("stocktake-as-at", args=[2026]), date_fields(yesterday)
    )
    assert response.status_code == 302
    stocktake.refresh_from_db()
    assert timezone.localtime(stocktake.as_at).date() == yesterday
    page = team.get(reverse("stocktake-detail", args=[2026])).content.decode()
    assert "Out of date" in page
    assert "You can publish once the PDF for the present ‘as at’ date is ready" in page
    refused = team.post(reverse("stocktake-publish", args=[2026]))
    assert refused.status_code == 422
    assert "Make the PDF for the present ‘as at’ date before publishing" in refused.content.decode()
    stocktake.refresh_from_db()
    assert stocktake.state == "draft"


def test_a_future_as_at_date_is_refused(team_web, world):
    stocktake = draft(2026)
    detail = reverse("stocktake-detail", args=[2026])
    response = submit_on(
        team_web,
        detail,
        reverse("stocktake-as-at", args=[2026]),
        date_fields(datetime.date(2999, 1, 1)),
        status=422,
    )
    assert "The ‘as at’ date must be today or in the past" in response.text
    assert 'href="#id_as_at_' in response.text
    assert_links_resolve(response)
    assert Stocktake.objects.get(pk=stocktake.pk).as_at == stocktake.as_at


def test_the_preview_shows_what_will_be_published(team, stocktake_world):
    draft(2026)
    html = team.get(reverse("stocktake-preview", args=[2026])).content.decode()
    assert "Preview of a draft" in html
    assert "HOU-01: Diverse housing panels" in html
    assert "Confidential pilot" not in html
    detail = team.get(reverse("stocktake-detail", args=[2026])).content.decode()
    assert "3 public actions; 1 action is not public and left out" in detail


def test_publishing_asks_to_confirm_then_records_who_and_when(
    team, team_web, stocktake_world, client
):
    world = stocktake_world.world
    stocktake = draft(2026)
    team.post(reverse("stocktake-render", args=[2026]))
    confirm = team_web.get(reverse("stocktake-publish", args=[2026]))
    assert "A published stocktake cannot be changed." in confirm.text
    assert Stocktake.objects.get(pk=stocktake.pk).state == "draft"
    response = form_to(confirm, reverse("stocktake-publish", args=[2026])).submit()
    assert response.status_code == 302
    stocktake.refresh_from_db()
    assert (stocktake.state, stocktake.published_by) == ("published", world.team)
    assert stocktake.published_at is not None
    assert stocktake.published_render == services.latest_render(stocktake)
    record = stocktake.history.latest()
    assert (record.history_user, record.history_change_reason) == (world.team, "Published")
    page = response.follow().text
    assert "The 2026 stocktake is published." in page
    assert reverse("public-stocktake", args=[2026]) in page
    # Published: no more PDFs, no more date changes.
    assert team.post(reverse("stocktake-render", args=[2026]), follow=True).status_code == 200
    assert stocktake.renders.count() == 1


# --- the next year ---------------------------------------------------------------------------------


def test_the_next_year_starts_from_a_published_stocktake_and_carries_forward_open_actions(
    team, team_web, stocktake_world
):
    world = stocktake_world.world
    baseline = published(2026, by=world.team)
    confirm = team.get(reverse("stocktake-next-year", args=[2026])).content.decode()
    assert "3 open actions carry forward into 2027" in confirm
    assert "1 action complete or closed by the 2026 stocktake stays there as history" in confirm
    url = reverse("stocktake-next-year", args=[2026])
    response = form_to(team_web.get(url), url).submit()
    assert response.status_code == 302
    following = Stocktake.objects.get(year=2027)
    assert (following.baseline, following.state, following.created_by) == (
        baseline,
        "draft",
        world.team,
    )
    page = response.follow().text
    assert "3 actions carried forward, 1 kept as history in the 2026 stocktake" in page
    # Nothing in the framework changed: PH-01 is still complete, with the same reference.
    from actions.models import Action

    assert Action.objects.get(ref="PH-01").status == "complete"
    preview = team.get(reverse("stocktake-preview", args=[2027])).content.decode()
    assert "HOU-01: Diverse housing panels" in preview
    assert 'id="action-PH-01"' not in preview  # not reported again as an action of 2027
    assert "Kept as history in the 2026 stocktake" in preview
    assert "<li>PH-01: Diabetes prevention (complete)</li>" in preview
    # A second start goes to the year already started.
    again = team.post(reverse("stocktake-next-year", args=[2026]))
    assert again.url == reverse("stocktake-detail", args=[2027])
    assert Stocktake.objects.filter(year=2027).count() == 1


def test_the_next_year_cannot_be_as_at_before_its_baseline(team_web, world):
    baseline = published(2026, as_at=timezone.now() - datetime.timedelta(days=3))
    following = draft(2027, baseline=baseline)
    too_early = timezone.localdate() - datetime.timedelta(days=10)
    detail = reverse("stocktake-detail", args=[2027])
    response = submit_on(
        team_web,
        detail,
        reverse("stocktake-as-at", args=[2027]),
        date_fields(too_early),
        status=422,
    )
    assert "must be after that of the 2026 stocktake" in response.text
    assert Stocktake.objects.get(pk=following.pk).as_at == following.as_at


def test_polling_the_status_makes_the_same_queries_however_many_attempts(team, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stocktake = draft(2026)
    StocktakeRender.objects.create(stocktake=stocktake, as_at=stocktake.as_at, state="failed")
    url = reverse("stocktake-detail", args=[2026])
    with CaptureQueriesContext(connection) as one:
        team.get(url, headers=HTMX)
    for _ in range(5):
        StocktakeRender.objects.create(stocktake=stocktake, as_at=stocktake.as_at, state="failed")
    with CaptureQueriesContext(connection) as six:
        team.get(url, headers=HTMX)
    assert len(one) == len(six)


def test_the_next_year_needs_a_published_stocktake(team, world):
    draft(2026)
    response = team.post(reverse("stocktake-next-year", args=[2026]))
    assert response.status_code == 422
    assert "Publish this stocktake before starting the next year" in response.content.decode()
    assert not Stocktake.objects.filter(year=2027).exists()


# --- who may ----------------------------------------------------------------------------------------


TEAM_PAGES = [
    ("get", "stocktake-list", []),
    ("post", "stocktake-list", []),
    ("get", "stocktake-detail", [2026]),
    ("post", "stocktake-as-at", [2026]),
    ("get", "stocktake-preview", [2026]),
    ("post", "stocktake-render", [2026]),
    ("get", "stocktake-pdf", [2026]),
    ("get", "stocktake-publish", [2026]),
    ("post", "stocktake-publish", [2026]),
    ("get", "stocktake-next-year", [2026]),
    ("post", "stocktake-next-year", [2026]),
]


@pytest.mark.parametrize("method, name, args", TEAM_PAGES)
@pytest.mark.parametrize("who", ["board", "director", "lead"])
def test_only_the_programme_team_prepares_stocktakes(client, world, method, name, args, who):
    published(2026)
    client.force_login(getattr(world, who))
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 403
    assert Stocktake.objects.count() == 1


@pytest.mark.parametrize("method, name, args", TEAM_PAGES)
def test_signed_out_people_are_sent_to_sign_in(client, world, method, name, args):
    published(2026)
    response = getattr(client, method)(reverse(name, args=args))
    assert response.status_code == 302
    assert response.url.startswith(reverse("sign-in"))


def test_the_nav_offers_the_stocktake_to_the_programme_team_only(client, world):
    client.force_login(world.team)
    assert b'href="/stocktakes/"' in client.get(reverse("stocktake-list")).content
    client.force_login(world.board)
    assert b'href="/stocktakes/"' not in client.get(reverse("my-actions")).content
