"""The pages: My actions and the action page, and each update form with and without HTMX."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action, ProgressUpdate, ReportingCycle
from targets.categories import Catalogue, find_or_add
from targets.models import Measurement, Target
from tests.webforms import HX, assert_links_resolve, fill, form_to

pytestmark = pytest.mark.django_db


def open_cycle(days_ago=10, closes_in=10, name="2021 Q1"):
    today = datetime.date.today()
    return ReportingCycle.objects.create(
        name=name,
        start_date=today - datetime.timedelta(days=days_ago),
        close_date=today + datetime.timedelta(days=closes_in),
    )


# --- My actions -----------------------------------------------------------------------------------


def test_my_actions_lists_a_directors_actions_by_area_with_their_cycle_state(as_user, world):
    open_cycle()
    ProgressUpdate.objects.create(
        action=world.undelegated, status="on_track", progress=10, author=world.director
    )
    page = as_user(world.director).get(reverse("my-actions"))
    assert page.status_code == 200
    text = page.text
    assert "Housing" in text and "Public Health" not in text
    assert "HOU-01" in text and "HOU-02" in text and "PH-01" not in text
    # What is due comes before what is updated.
    assert text.index("HOU-01") < text.index("HOU-02")
    assert "Update due" in text and "Updated" in text
    assert "Hana Osei" in text  # the last update's author
    assert "Not started" in text  # the status in words


def test_my_actions_shows_late_after_the_close_date(as_user, world):
    open_cycle(days_ago=40, closes_in=-1)
    page = as_user(world.lead).get(reverse("my-actions"))
    assert "HOU-01" in page.text and "HOU-02" not in page.text
    assert "Late" in page.text
    assert "Delegated to you" in page.text


def test_my_actions_has_an_empty_state_that_says_what_to_do(as_user, world):
    page = as_user(world.board).get(reverse("my-actions"))
    assert "You have no actions to update yet" in page.text
    assert "ask the programme team" in page.text


# --- The action page -------------------------------------------------------------------------------


def test_the_action_page_shows_the_four_questions_targets_outcomes_and_log(as_user, world):
    Measurement.objects.create(outcome=world.outcome, period_end="2021-06-30", value=200)
    Measurement.objects.create(
        outcome=world.outcome,
        period_end="2021-06-30",
        value=80,
        dimension="ethnicity",
        group="Black, Asian and Minority Ethnic",
    )
    page = as_user(world.director).get(reverse("action-detail", args=["HOU-01"]))
    text = page.text
    for question in [
        "What inequality or issue are we tackling?",
        "What action will we take?",
        "What outcome do we hope to achieve?",
        "How will we know we have made an impact?",
    ]:
        assert question in text
    assert "HOU-T01" in text and "Panel in place by summer 2021" in text
    assert "HOU-T02" in text and "24 staff" in text
    assert "HOU-O01" in text
    assert "40.0%" in text and "50% equity share (should be at least 50%)" in text
    assert "Under-represented" in text
    assert "No progress has been recorded yet." in text
    assert "Record progress" in text  # the director may update


def test_the_board_sees_the_action_page_without_forms(as_user, world):
    page = as_user(world.board).get(reverse("action-detail", args=["HOU-01"]))
    assert page.status_code == 200
    assert "Record progress" not in page.text
    main = page.text.split('id="main-content"')[1].split("</main>")[0]
    # The only form a Board member gets is the one to raise a challenge (issue 4).
    assert main.count("<form") == 1
    assert 'action="/actions/HOU-01/challenges/#challenges-panel"' in main


def test_the_back_link_goes_to_where_each_person_starts(as_user, world):
    """The Board start at the dashboard, a director at their actions (config.roles.start_page)."""
    page = reverse("action-detail", args=["HOU-01"])
    board = as_user(world.board).get(page).content.decode()
    director = as_user(world.director).get(page).content.decode()
    assert '<a href="/dashboard/" class="govuk-back-link">Back</a>' in board
    assert '<a href="/my-actions/" class="govuk-back-link">Back</a>' in director


# --- Progress ---------------------------------------------------------------------------------------
# Each save goes through the form the page renders (tests.webforms): fetch the page, fill the form,
# submit it. The parametrised refusals below post hand-built data on purpose: they prove the view
# refuses what the page's form would never send.

PAGE = "/actions/HOU-01/"


def record_progress_form(page):
    return form_to(page, reverse("action-progress", args=["HOU-01"]))


def test_progress_with_htmx_returns_the_panel_with_a_confirmation(web, world):
    form = record_progress_form(web(world.director).get(PAGE))
    form["status"] = "on_track"
    form["progress"] = "40"
    form["narrative"] = "Panels recruited"
    response = form.submit(headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="progress-panel"' in response.text
    assert "Progress saved: on track, 40% complete." in response.text
    assert "Panels recruited" in response.text  # the new log entry
    action = Action.objects.get(pk=world.action.pk)
    assert (action.status, action.progress) == ("on_track", 40)
    # The swapped-in panel carries a fresh form: saving again from it works.
    again = record_progress_form(response)
    again["progress"] = "45"
    assert "45% complete" in again.submit(headers=HX).text


def test_progress_without_javascript_redirects_with_a_message(web, world):
    form = record_progress_form(web(world.director).get(PAGE))
    form["status"] = "on_track"
    form["progress"] = "40"
    response = form.submit()
    assert response.status_code == 302
    # The page from the start of its content, where the banner is (not scrolled past it).
    assert response.location == reverse("action-detail", args=["HOU-01"]) + "#main-content"
    assert "Progress saved: on track, 40% complete." in response.follow().text


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "no-js"])
def test_bad_progress_in_the_rendered_form_is_explained_and_the_links_reach_the_fields(
    web, world, headers
):
    form = record_progress_form(web(world.director).get(PAGE))
    form["status"] = "off_track"
    form["progress"] = "lots"
    response = form.submit(headers=headers, status=422)
    assert "<title>Error: " in response.text
    assert ("<html" in response.text) is not bool(headers)
    assert "Explain why the action is off track" in response.text
    assert "Enter % complete as a whole number from 0 to 100" in response.text
    assert 'href="#id_narrative"' in response.text and 'href="#id_progress"' in response.text
    assert_links_resolve(response)
    assert Action.objects.get(pk=world.action.pk).status == "not_started"
    # What the person typed is kept; putting it right and saving again works.
    form = record_progress_form(response)
    assert form["progress"].value == "lots"
    form["progress"] = "20"
    form["narrative"] = "The contractor withdrew"
    form.submit(headers=headers)
    assert Action.objects.get(pk=world.action.pk).status == "off_track"


def progress_data(action, **overrides):
    data = {
        "version": action.version,
        "status": "on_track",
        "progress": "40",
        "narrative": "",
        "closed_reason": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"status": "off_track", "narrative": ""},
            "narrative",
            "Explain why the action is off track",
        ),
        ({"status": "closed"}, "closed_reason", "Enter the reason for closing the action"),
        ({"status": ""}, "status", "Select a status"),
        ({"status": "complete"}, "status", "Select a valid choice"),
        ({"progress": ""}, "progress", "Enter % complete"),
        ({"progress": "abc"}, "progress", "Enter % complete as a whole number from 0 to 100"),
        ({"progress": "101"}, "progress", "Enter % complete as a whole number from 0 to 100"),
        ({"progress": "-5"}, "progress", "Enter % complete as a whole number from 0 to 100"),
        ({"progress": "4.5"}, "progress", "Enter % complete as a whole number from 0 to 100"),
    ],
)
def test_bad_progress_is_explained_beside_the_field_and_in_the_summary(
    as_user, world, overrides, field, message
):
    client = as_user(world.director)
    for headers in (HX, {}):
        response = client.post(
            reverse("action-progress", args=["HOU-01"]),
            progress_data(world.action, **overrides),
            headers=headers,
        )
        assert response.status_code == 422
        assert "govuk-error-summary" in response.text
        assert f'href="#id_{field}' in response.text
        assert message in response.text
        if headers:
            assert "<title>Error: " in response.text
        else:
            assert "<title>Error: " in response.text and "<html" in response.text
    assert Action.objects.get(pk=world.action.pk).status == "not_started"
    assert not ProgressUpdate.objects.exists()


def test_a_stale_progress_form_is_refused_with_who_changed_what_and_keeps_the_typing(web, world):
    form = record_progress_form(web(world.director).get(PAGE))
    # Meanwhile the lead officer saves from their own page.
    lead_form = record_progress_form(web(world.lead).get(PAGE))
    lead_form["status"] = "at_risk"
    lead_form["progress"] = "30"
    lead_form.submit()
    form["status"] = "on_track"
    form["progress"] = "55"
    form["narrative"] = "My careful words"
    response = form.submit(headers=HX, status=409)
    assert "someone else saved this while you were editing" in response.text
    assert "lead@council.example changed status from Not started to At risk" in response.text
    action = Action.objects.get(pk=world.action.pk)
    assert (action.status, action.progress) == ("at_risk", 30)
    # The form that comes back keeps the words and now knows the new version: saving it works.
    form = record_progress_form(response)
    assert (form["narrative"].value.strip(), form["progress"].value) == ("My careful words", "55")
    form.submit(headers=HX)
    action = Action.objects.get(pk=world.action.pk)
    assert (action.status, action.progress) == ("on_track", 55)


# --- Targets, measurements, delegation ----------------------------------------------------------------


def target_form(page, ref):
    return form_to(page, reverse("target-progress", args=[ref]))


def test_a_milestone_is_marked_met_in_place(web, world):
    form = target_form(web(world.director).get(PAGE), "HOU-T01")
    form["t-HOU-T01-status"] = "met"
    form["t-HOU-T01-met_on_day"] = "1"
    form["t-HOU-T01-met_on_month"] = "7"
    form["t-HOU-T01-met_on_year"] = "2021"
    response = form.submit(headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="target-HOU-T01"' in response.text
    assert "Target HOU-T01 saved: met on 1 July 2021." in response.text
    assert "Met on 1 July 2021" in response.text  # the panel shows what was saved
    target = Target.objects.get(pk=world.milestone.pk)
    assert (target.status, target.met_on) == ("met", datetime.date(2021, 7, 1))


def test_a_milestone_is_marked_met_without_javascript(web, world):
    form = target_form(web(world.director).get(PAGE), "HOU-T01")
    form["t-HOU-T01-status"] = "met"
    for part, value in (("day", "1"), ("month", "7"), ("year", "2021")):
        form[f"t-HOU-T01-met_on_{part}"] = value
    response = form.submit()
    assert response.location == reverse("action-detail", args=["HOU-01"]) + "#main-content"
    page = response.follow()
    assert "Target HOU-T01 saved: met on 1 July 2021." in page.text
    assert Target.objects.get(pk=world.milestone.pk).status == "met"


def test_the_target_form_starts_from_what_is_saved(web, world):
    world.milestone.status = "in_progress"
    world.milestone.save()
    form = target_form(web(world.director).get(PAGE), "HOU-T01")
    assert form["t-HOU-T01-status"].value == "in_progress"
    # The page's own progress form is left alone: each form has its own fields.
    assert record_progress_form(web(world.director).get(PAGE))["status"].value == "not_started"


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "no-js"])
def test_a_milestone_met_without_a_date_is_refused(web, world, headers):
    form = target_form(web(world.director).get(PAGE), "HOU-T01")
    form["t-HOU-T01-status"] = "met"
    response = form.submit(headers=headers, status=422)
    assert "Enter the date the milestone was met" in response.text
    assert 'href="#id_t-HOU-T01-met_on_day"' in response.text
    assert_links_resolve(response)
    assert Target.objects.get(pk=world.milestone.pk).status == "not_started"


def test_a_numeric_targets_latest_value_is_recorded_from_the_page(web, world):
    form = target_form(web(world.director).get(PAGE), "HOU-T02")
    assert "t-HOU-T02-met_on_day" in form.fields  # the date is offered but not required
    form["t-HOU-T02-status"] = "in_progress"
    form["t-HOU-T02-current_value"] = "18"
    response = form.submit(headers=HX)
    assert "Target HOU-T02 saved: in progress, latest value 18." in response.text
    assert "18 staff" in response.text  # the panel's "Latest value" row
    target = Target.objects.get(pk=world.numeric.pk)
    assert (target.status, target.current_value) == ("in_progress", 18)


def test_a_bad_latest_value_is_refused_beside_its_field(web, world):
    form = target_form(web(world.director).get(PAGE), "HOU-T02")
    form["t-HOU-T02-status"] = "in_progress"
    form["t-HOU-T02-current_value"] = "eighteen"
    response = form.submit(headers=HX, status=422)
    assert "Enter the latest value as a number" in response.text
    assert 'href="#id_t-HOU-T02-current_value"' in response.text
    assert_links_resolve(response)
    assert Target.objects.get(pk=world.numeric.pk).current_value is None


def measurement_form(page, ref):
    return form_to(page, reverse("measurement-add", args=[ref]))


def named_group_listed(world):
    """The outcome's named group in the ethnicity custom list, as importing the framework puts it."""
    return find_or_add(Catalogue.load(), "ethnicity", world.outcome.group, user=None, reason="Test")


def test_a_measurement_with_groups_shows_each_share_against_the_equity_share(web, world):
    named = named_group_listed(world)
    white = Catalogue.load().category("ethnicity", "white")
    women = Catalogue.load().category("sex", "women")
    form = measurement_form(web(world.director).get(PAGE), "HOU-O01")
    # The list naming the outcome's group is offered, with a row for each of its categories.
    assert form["m-HOU-O01-breakdown"].value == str(named.category_list_id)
    form["m-HOU-O01-breakdown"] = str(white.category_list_id)
    shown = form.submit("m-HOU-O01-show", headers=HX)
    assert "Enter the total" not in shown.text  # showing the categories checks nothing
    form = measurement_form(shown, "HOU-O01")
    form["m-HOU-O01-breakdown"] = str(named.category_list_id)
    form = measurement_form(form.submit("m-HOU-O01-show", headers=HX), "HOU-O01")
    for name, value in {
        "period_end_day": "30",
        "period_end_month": "6",
        "period_end_year": "2021",
        "value": "200",
        f"c_{named.pk}": "80",
        "source": "Job brokerage",
    }.items():
        form[f"m-HOU-O01-{name}"] = value
    response = form.submit(headers=HX)
    assert response.status_code == 200
    text = response.text
    assert "<html" not in text and 'id="indicator-HOU-O01"' in text
    assert "Value for the period ending 30 June 2021 saved for HOU-O01." in text
    assert "40.0%" in text
    assert "50% equity share (should be at least 50%)" in text and "Under-represented" in text
    # The same period takes a breakdown by another dimension when its total is given again.
    form = measurement_form(response, "HOU-O01")
    form["m-HOU-O01-breakdown"] = str(women.category_list_id)
    form = measurement_form(form.submit("m-HOU-O01-show", headers=HX), "HOU-O01")
    fill(form, {"m-HOU-O01-period_end_day": "30", "m-HOU-O01-period_end_month": "6"})
    fill(form, {"m-HOU-O01-period_end_year": "2021", "m-HOU-O01-value": "200"})
    form[f"m-HOU-O01-c_{women.pk}"] = "120"
    response = form.submit(headers=HX)
    assert "Value for the period ending 30 June 2021 saved" in response.text
    # Another breakdown by ethnicity for the period is refused, in words.
    form = measurement_form(response, "HOU-O01")
    form["m-HOU-O01-breakdown"] = str(white.category_list_id)
    form = measurement_form(form.submit("m-HOU-O01-show", headers=HX), "HOU-O01")
    fill(form, {"m-HOU-O01-period_end_day": "30", "m-HOU-O01-period_end_month": "6"})
    fill(form, {"m-HOU-O01-period_end_year": "2021", "m-HOU-O01-value": "200"})
    form[f"m-HOU-O01-c_{white.pk}"] = "100"
    refused = form.submit(headers=HX, status=422)
    assert "A breakdown by ethnicity for the period ending 30 June 2021 has already been" in (
        refused.text
    )
    saved = Measurement.objects.filter(outcome=world.outcome)
    assert sorted((m.dimension, m.group, m.value) for m in saved) == [
        ("", "", 200),
        ("Ethnicity", "Black, Asian and Minority Ethnic", 80),
        ("Sex", "Female", 120),
    ]
    assert {m.category for m in saved if m.group} == {named, women}


def test_a_numeric_target_offers_its_own_add_a_value_form(web, world):
    page = web(world.director).get(PAGE)
    form = measurement_form(page, "HOU-T02")
    assert {"m-HOU-T02-period_end_day", "m-HOU-T02-value", "m-HOU-T02-source"} <= set(form.fields)
    for part, value in (("day", "31"), ("month", "3"), ("year", "2022")):
        form[f"m-HOU-T02-period_end_{part}"] = value
    form["m-HOU-T02-value"] = "12"
    response = form.submit()
    assert response.location == reverse("action-detail", args=["HOU-01"]) + "#main-content"
    page = response.follow()
    assert "Value for the period ending 31 March 2022 saved for HOU-T02." in page.text
    assert Measurement.objects.get(target=world.numeric).value == 12


def measurement_data(**overrides):
    prefix = "m-HOU-O01-"
    high_level = Catalogue.load().category("ethnicity", "white").category_list
    black, white = (high_level.categories.get(name__startswith=n) for n in ("Black", "White"))
    data = {
        "period_end_day": "30",
        "period_end_month": "6",
        "period_end_year": "2021",
        "value": "200",
        "breakdown": str(high_level.pk),
        "shown": str(high_level.pk),
        f"c_{black.pk}": "80",
        f"c_{white.pk}": "120",
        "source": "Job brokerage",
        "note": "",
    }
    data.update({key.format(black=black.pk): value for key, value in overrides.items()})
    return {prefix + key: value for key, value in data.items()} | {"action_ref": "HOU-01"}


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"value": ""}, "Enter the total"),
        ({"value": "lots"}, "Enter the total as a number"),
        ({"value": "-1"}, "The total must be 0 or more"),
        ({"value": "150"}, "The groups add up to 200, more than the total of 150"),
        ({"c_{black}": "x"}, "Enter the value for Black, Black British"),
        ({"c_{black}": "-2"}, "must be 0 or more"),
        ({"shown": ""}, "Enter the values for the categories now shown, then save"),
        ({"period_end_day": "31", "period_end_month": "2"}, "Date must be a real date"),
        ({"period_end_day": ""}, "Enter the day"),
    ],
)
def test_bad_measurements_are_refused_and_nothing_is_written(as_user, world, overrides, message):
    response = as_user(world.director).post(
        reverse("measurement-add", args=["HOU-O01"]), measurement_data(**overrides), headers=HX
    )
    assert response.status_code == 422
    assert message.lower() in response.text.lower()
    assert not Measurement.objects.exists()


def test_a_bad_measurement_in_the_rendered_form_links_to_its_field(web, world):
    form = measurement_form(web(world.director).get(PAGE), "HOU-O01")
    form["m-HOU-O01-value"] = "lots"
    response = form.submit(headers=HX, status=422)
    assert "Enter the total as a number" in response.text
    assert "Enter the end of the period" in response.text or "Enter a date" in response.text
    assert 'href="#id_m-HOU-O01-value"' in response.text
    assert_links_resolve(response)
    assert not Measurement.objects.exists()


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "no-js"])
def test_delegating_in_place(web, world, headers):
    page = web(world.director).get(reverse("action-detail", args=["HOU-02"]))
    form = form_to(page, reverse("action-delegate", args=["HOU-02"]))
    form["delegate-lead_officer"] = str(world.lead.pk)
    response = form.submit(headers=headers)
    if headers:
        assert 'id="delegation-panel"' in response.text and "<html" not in response.text
    else:
        assert response.location == reverse("action-detail", args=["HOU-02"]) + "#main-content"
        response = response.follow()
    assert "HOU-02 delegated to lead@council.example." in response.text
    assert Action.objects.get(pk=world.undelegated.pk).lead_officer == world.lead


def test_the_change_history_says_who_changed_what_and_why(web, world):
    form = record_progress_form(web(world.director).get(PAGE))
    form["status"] = "on_track"
    form["progress"] = "40"
    form["narrative"] = "Good start"
    page = form.submit().follow()
    history = page.text.split('id="history"')[1]
    assert "Hana Osei" in history
    assert "Status: Not started → On track" in history
    assert "% complete: 0 → 40" in history
    assert "Progress update: Good start" in history


def test_demo_data_is_labelled(as_user, world):
    ProgressUpdate.objects.create(
        action=world.action,
        status="on_track",
        progress=10,
        narrative="Demo: example",
        author=world.director,
        is_demo=True,
    )
    page = as_user(world.director).get(reverse("action-detail", args=["HOU-01"]))
    assert "Demo data" in page.text


def test_the_action_page_says_a_cycle_past_its_close_date_closed(as_user, world):
    cycle = open_cycle(days_ago=40, closes_in=-2, name="Last quarter")
    client = as_user(world.director)
    page = client.get(reverse("action-detail", args=["HOU-01"])).text
    closed = f"(Last quarter, closed {cycle.close_date:%-d %B %Y})"
    assert closed in page and "closes" not in page.split('id="progress-panel"')[1][:3000]
    cycle.close_date = datetime.date.today() + datetime.timedelta(days=3)
    cycle.save()
    page = client.get(reverse("action-detail", args=["HOU-01"])).text
    assert f"(Last quarter, closes {cycle.close_date:%-d %B %Y})" in page
