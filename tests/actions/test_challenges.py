"""Board challenges: raised by a Board member, answered by the owner or lead officer, accepted or
followed up; who may do each step (in the services and the views); every step in history."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import challenges as services
from actions.models import Challenge, ChallengeEntry
from config import roles
from tests import factories
from tests.webforms import HX, assert_links_resolve, form_to

pytestmark = pytest.mark.django_db
TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


def raise_one(world, question="Why is this behind?", due=None) -> Challenge:
    return services.raise_challenge(
        action=world.action, user=world.board, question=question, due_date=due
    )


def due_fields(prefix: str, day: datetime.date | None) -> dict:
    if day is None:
        return {
            f"{prefix}-due_date_day": "",
            f"{prefix}-due_date_month": "",
            f"{prefix}-due_date_year": "",
        }
    return {
        f"{prefix}-due_date_day": day.day,
        f"{prefix}-due_date_month": day.month,
        f"{prefix}-due_date_year": day.year,
    }


# --- The whole lifecycle through the pages ---------------------------------------------------------
# Each step fills and submits the form the action page renders (tests.webforms).

PAGE = "/actions/HOU-01/"


def fill_date(form, prefix: str, day: datetime.date | None) -> None:
    for part in ("day", "month", "year"):
        form[f"{prefix}-due_date_{part}"] = "" if day is None else str(getattr(day, part))


def test_raise_answer_follow_up_answer_accept_keeps_the_thread_and_the_history(web, world):
    form = form_to(web(world.board).get(PAGE), reverse("challenge-raise", args=["HOU-01"]))
    form["raise-question"] = "How will panels reach older tenants?"
    fill_date(form, "raise", TOMORROW)
    response = form.submit(headers=HX)
    assert response.status_code == 200
    assert "<html" not in response.text and 'id="challenges-panel"' in response.text
    assert "Challenge raised on HOU-01." in response.text
    challenge = Challenge.objects.get()
    assert (challenge.state, challenge.due_date, challenge.raised_by) == (
        "open",
        TOMORROW,
        world.board,
    )

    # The owner (the area's director) and the lead officer see it, with a form to answer.
    for person in (world.director, world.lead):
        page = web(person).get(PAGE).text
        assert "How will panels reach older tenants?" in page
        assert "Awaiting an answer" in page and "Send answer" in page
        mine = web(person).get(reverse("my-actions")).text
        assert "1 Board challenge to answer" in mine
        assert "The Programme Board has raised 1 challenge for you to answer" in mine

    answer_url = reverse("challenge-answer", args=[challenge.pk])
    form = form_to(web(world.director).get(PAGE), answer_url)
    form[f"answer-{challenge.pk}-response"] = "Through the tenants' associations."
    answered = form.submit(headers=HX)
    assert answered.status_code == 200
    assert "Answer sent." in answered.text and "Send answer" not in answered.text
    challenge.refresh_from_db()
    assert (challenge.state, challenge.responded_by) == ("answered", world.director)
    assert "Board challenge to answer" not in web(world.director).get(reverse("my-actions")).text

    page = web(world.board).get(PAGE)
    form = form_to(page, reverse("challenge-follow-up", args=[challenge.pk]))
    form[f"follow-up-{challenge.pk}-question"] = "Which associations, and by when?"
    form.submit(headers=HX)
    challenge.refresh_from_db()
    assert challenge.state == "open"
    form = form_to(web(world.lead).get(PAGE), answer_url)
    form[f"answer-{challenge.pk}-response"] = "All six, by June."
    form.submit(headers=HX)
    form = form_to(web(world.board).get(PAGE), reverse("challenge-accept", args=[challenge.pk]))
    accepted = form.submit(headers=HX)
    assert "Answer accepted. The challenge is closed." in accepted.text
    challenge.refresh_from_db()
    assert challenge.state == "accepted"

    # The thread keeps every step, in order, on the action page.
    page = web(world.lead).get(PAGE).text
    steps = [
        "How will panels reach older tenants?",
        "Through the tenants&#x27; associations.",
        "Which associations, and by when?",
        "All six, by June.",
        "Answer accepted",
    ]
    positions = [page.index(step) for step in steps]
    assert positions == sorted(positions)
    assert [e.kind for e in challenge.entries.all()] == [
        "answer",
        "follow_up",
        "answer",
        "acceptance",
    ]
    # And the history: who moved it and why, and it shows on the action page too.
    records = challenge.history.order_by("history_date", "history_id")
    assert [(r.history_user, r.history_change_reason, r.state) for r in records] == [
        (world.board, "Challenge raised", "open"),
        (world.director, "Challenge answered", "answered"),
        (world.board, "Follow-up question: Which associations, and by when?", "open"),
        (world.lead, "Challenge answered", "answered"),
        (world.board, "Answer accepted", "accepted"),
    ]
    history = page[page.index('id="history"') :]
    assert "Follow-up question: Which associations, and by when?" in history
    assert "Answer accepted" in history


def test_without_javascript_each_step_redirects_with_a_message(web, world):
    form = form_to(web(world.board).get(PAGE), reverse("challenge-raise", args=["HOU-01"]))
    form["raise-question"] = "Why?"
    response = form.submit()
    assert response.status_code == 302
    assert response.location == "/actions/HOU-01/#main-content"  # where the banner is
    assert "Challenge raised on HOU-01." in response.follow().text
    challenge = Challenge.objects.get()
    form = form_to(web(world.lead).get(PAGE), reverse("challenge-answer", args=[challenge.pk]))
    form[f"answer-{challenge.pk}-response"] = "Because."
    response = form.submit()
    assert response.status_code == 302
    assert "Answer sent." in response.follow().text
    page = web(world.board).get(PAGE)
    form = form_to(page, reverse("challenge-follow-up", args=[challenge.pk]))
    form[f"follow-up-{challenge.pk}-question"] = "And the cost?"
    fill_date(form, f"follow-up-{challenge.pk}", TOMORROW)
    response = form.submit()
    assert response.status_code == 302
    challenge.refresh_from_db()
    assert (challenge.state, challenge.due_date) == ("open", TOMORROW)
    form = form_to(web(world.lead).get(PAGE), reverse("challenge-answer", args=[challenge.pk]))
    form[f"answer-{challenge.pk}-response"] = "Nothing extra."
    form.submit()
    form = form_to(web(world.board).get(PAGE), reverse("challenge-accept", args=[challenge.pk]))
    response = form.submit()
    assert response.status_code == 302
    assert "Answer accepted" in response.follow().text


# --- Errors ----------------------------------------------------------------------------------------


def test_an_empty_question_or_a_past_date_is_refused_with_the_page_title_saying_error(web, world):
    form = form_to(web(world.board).get(PAGE), reverse("challenge-raise", args=["HOU-01"]))
    form["raise-question"] = " "
    fill_date(form, "raise", datetime.date.today() - datetime.timedelta(days=1))
    response = form.submit(headers=HX, status=422)
    assert "Enter your question" in response.text
    assert "<title>Error: HOU-01" in response.text
    assert 'href="#id_raise-question"' in response.text
    assert_links_resolve(response)
    assert not Challenge.objects.exists()
    form = form_to(response, reverse("challenge-raise", args=["HOU-01"]))
    form["raise-question"] = "Why?"
    response = form.submit(status=422)  # the whole page, without JavaScript
    assert "<html" in response.text
    assert "The date to answer by must be today or in the future" in response.text
    assert 'href="#id_raise-due_date_day"' in response.text
    assert_links_resolve(response)
    assert not Challenge.objects.exists()


def test_an_empty_answer_is_refused(as_user, world):
    challenge = raise_one(world)
    response = as_user(world.director).post(
        reverse("challenge-answer", args=[challenge.pk]),
        {f"answer-{challenge.pk}-response": ""},
        headers=HX,
    )
    assert response.status_code == 422
    assert "Enter your answer" in response.text
    challenge.refresh_from_db()
    assert challenge.state == "open" and not challenge.entries.exists()


def test_answering_an_already_answered_challenge_is_refused_and_says_who_answered(as_user, world):
    challenge = raise_one(world)
    services.answer_challenge(challenge=challenge, user=world.lead, response="First")
    response = as_user(world.director).post(
        reverse("challenge-answer", args=[challenge.pk]),
        {f"answer-{challenge.pk}-response": "Second"},
        headers=HX,
    )
    assert response.status_code == 409
    assert (
        "Your answer has not been saved. lead@council.example answered this challenge"
        in response.text
    )
    challenge.refresh_from_db()
    assert challenge.response == "First" and challenge.entries.count() == 1


def test_accepting_before_an_answer_or_twice_is_refused(as_user, world):
    challenge = raise_one(world)
    board = as_user(world.board)
    response = board.post(reverse("challenge-accept", args=[challenge.pk]), headers=HX)
    assert response.status_code == 409 and "has not been answered yet" in response.text
    services.answer_challenge(challenge=challenge, user=world.lead, response="Done")
    board.post(reverse("challenge-accept", args=[challenge.pk]), headers=HX)
    response = board.post(reverse("challenge-accept", args=[challenge.pk]), headers=HX)
    assert response.status_code == 409 and "already accepted" in response.text
    assert challenge.entries.filter(kind="acceptance").count() == 1


# --- Who may do each step --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, status",
    [("director", 403), ("lead", 403), ("team", 403), ("other_director", 404), ("board", 302)],
)
def test_only_a_board_member_raises_a_challenge(as_user, world, role, status):
    response = as_user(getattr(world, role)).post(
        reverse("challenge-raise", args=["HOU-01"]),
        {"raise-question": "Why?", **due_fields("raise", None)},
    )
    assert response.status_code == status
    assert Challenge.objects.exists() is (status == 302)


@pytest.mark.parametrize(
    "role, status",
    [("director", 302), ("lead", 302), ("team", 403), ("board", 403), ("other_director", 404)],
)
def test_only_the_owner_and_the_lead_officer_answer(as_user, world, role, status):
    challenge = raise_one(world)
    response = as_user(getattr(world, role)).post(
        reverse("challenge-answer", args=[challenge.pk]),
        {f"answer-{challenge.pk}-response": "Yes."},
    )
    assert response.status_code == status
    challenge.refresh_from_db()
    assert (challenge.state == "answered") is (status == 302)


def test_a_named_owner_answers_as_well_as_the_director(as_user, world):
    owner = factories.person("owner@council.example", role=roles.SERVICE_DIRECTOR)
    world.undelegated.owner = owner
    world.undelegated.save()
    challenge = services.raise_challenge(action=world.undelegated, user=world.board, question="Q")
    response = as_user(owner).post(
        reverse("challenge-answer", args=[challenge.pk]), {f"answer-{challenge.pk}-response": "A"}
    )
    assert response.status_code == 302
    assert "1 Board challenge to answer" not in as_user(owner).get(reverse("my-actions")).text


@pytest.mark.parametrize("step", ["challenge-accept", "challenge-follow-up"])
@pytest.mark.parametrize(
    "who, status",
    [
        ("raiser", 302),
        ("another_board_member", 403),
        ("director", 403),
        ("lead", 403),
        ("team", 403),
        ("other_director", 404),
    ],
)
def test_only_the_board_member_who_raised_it_accepts_or_follows_up(
    as_user, world, step, who, status
):
    challenge = raise_one(world)
    services.answer_challenge(challenge=challenge, user=world.lead, response="Done")
    people = {
        "raiser": world.board,
        "another_board_member": factories.person(
            "board2@council.example", role=roles.PROGRAMME_BOARD
        ),
        "director": world.director,
        "lead": world.lead,
        "team": world.team,
        "other_director": world.other_director,
    }
    data = {
        f"follow-up-{challenge.pk}-question": "And?",
        **due_fields(f"follow-up-{challenge.pk}", None),
    }
    response = as_user(people[who]).post(reverse(step, args=[challenge.pk]), data)
    assert response.status_code == status
    challenge.refresh_from_db()
    assert (challenge.state != "answered") is (status == 302)


def test_the_services_enforce_who_may_do_each_step_whoever_calls_them(world):
    with pytest.raises(PermissionDenied):
        services.raise_challenge(action=world.action, user=world.director, question="Q")
    challenge = raise_one(world)
    with pytest.raises(PermissionDenied):
        services.answer_challenge(challenge=challenge, user=world.board, response="A")
    with pytest.raises(PermissionDenied):
        services.answer_challenge(challenge=challenge, user=world.other_director, response="A")
    services.answer_challenge(challenge=challenge, user=world.director, response="A")
    for step in (services.accept_answer, services.follow_up):
        kwargs = {"question": "Q"} if step is services.follow_up else {}
        with pytest.raises(PermissionDenied):
            step(challenge=challenge, user=world.director, **kwargs)
        with pytest.raises(PermissionDenied):
            step(challenge=challenge, user=world.team, **kwargs)
    with pytest.raises(ValidationError):
        services.follow_up(challenge=challenge, user=world.board, question="   ")
    challenge.refresh_from_db()
    assert challenge.state == "answered"


def test_what_each_person_is_offered_on_the_action_page(as_user, world):
    challenge = raise_one(world)
    forms = {
        "board": ("Raise a challenge on HOU-01", "Send answer"),
        "director": ("Send answer", "Raise a challenge"),
        "lead": ("Send answer", "Raise a challenge"),
        "team": (None, "Send answer"),
    }
    for role, (offered, not_offered) in forms.items():
        page = as_user(getattr(world, role)).get(reverse("action-detail", args=["HOU-01"])).text
        assert "Why is this behind?" in page
        if offered:
            assert offered in page, role
        assert not_offered not in page, role
    services.answer_challenge(challenge=challenge, user=world.lead, response="A")
    page = as_user(world.board).get(reverse("action-detail", args=["HOU-01"])).text
    assert "Accept the answer" in page and "Ask a follow-up question" in page
    other_board = factories.person("board2@council.example", role=roles.PROGRAMME_BOARD)
    page = as_user(other_board).get(reverse("action-detail", args=["HOU-01"])).text
    assert "Accept the answer" not in page


# --- The list for the Board and the programme team -------------------------------------------------


def test_the_board_and_the_team_see_open_challenges_and_others_may_not(as_user, world):
    raise_one(world, "Open question")
    answered = services.raise_challenge(
        action=world.other_action, user=world.board, question="Answered question"
    )
    services.answer_challenge(challenge=answered, user=world.other_director, response="Yes")
    for person in (world.board, world.team):
        page = as_user(person).get(reverse("challenge-list")).text
        assert "Open question" in page and "Answered question" not in page
        assert "Awaiting an answer (1)" in page and "Answered, to review (1)" in page
    page = as_user(world.board).get(reverse("challenge-list") + "?state=answered").text
    assert "Answered question" in page and "Yours to review" in page
    assert as_user(world.team).get(reverse("challenge-list") + "?state=nonsense").status_code == 200
    for person in (world.director, world.lead):
        assert as_user(person).get(reverse("challenge-list")).status_code == 403


def test_the_list_makes_the_same_queries_at_two_sizes(as_user, world):
    client = as_user(world.board)

    def build(n):
        for _ in range(n):
            action = factories.action(area=world.housing)
            challenge = services.raise_challenge(action=action, user=world.board, question="Q")
            services.answer_challenge(challenge=challenge, user=world.director, response="A")
            services.follow_up(challenge=challenge, user=world.board, question="Q2")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("challenge-list")).status_code == 200
        return len(queries)

    build(1)
    small = count()
    build(60)
    assert count() == small
    assert ChallengeEntry.objects.count() == 122
