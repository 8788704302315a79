"""The action page's challenges panel is drawn once for each state of the challenges, their threads
and the people, for each person, and kept (actions/challenge_panel.py challenges_section): a second
look, or the look after a progress save, reads no challenges, and any change shows at once."""

import re

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions import challenges as services
from actions.models import Challenge
from config import roles
from tests import factories
from tests.reporting.stocktake_world import html_text
from tests.webforms import clock_moved_on, form_to, without_per_request

pytestmark = pytest.mark.django_db

PAGE = reverse("action-detail", args=["HOU-01"])
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The challenges and their history read (not the state query's SELECT MAX(…) FROM their tables).
CHALLENGE_TABLES = ('SELECT "actions_challenge".', 'SELECT "actions_historicalchallenge".')


def queries_for(client, url=PAGE):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries]


def reads_challenges(sql: list[str]) -> bool:
    return any(table in q for q in sql for table in CHALLENGE_TABLES)


def raise_one(world, question="Why is this behind?") -> Challenge:
    return services.raise_challenge(action=world.action, user=world.board, question=question)


def test_a_second_look_reads_no_challenges_and_shows_the_same_page(client, world, monkeypatch):
    raise_one(world)
    client.force_login(world.director)
    first, first_sql = queries_for(client)
    clock_moved_on(monkeypatch, 1.5)  # a slow run: the second look comes seconds later
    second, second_sql = queries_for(client)
    assert reads_challenges(first_sql)
    assert not reads_challenges(second_sql)
    assert len(second_sql) < len(first_sql)

    assert without_per_request(second.content) == without_per_request(first.content)
    # The challenge's step is still in the change history, and each page has its own token.
    assert "Board challenge" in html_text(second.content.decode())
    assert "csrf-token-of-this-request" not in second.content.decode()
    assert len(TOKEN.findall(second.content.decode())) == len(TOKEN.findall(first.content.decode()))


def test_a_progress_save_leaves_the_kept_challenges_and_shows_the_progress(client, world):
    raise_one(world, "Who sits on the panels?")
    client.force_login(world.director)
    client.get(PAGE)
    factories.progress_saved(world.action, world.director, "Half the panels are running")
    response, sql = queries_for(client)
    shown = html_text(response.content.decode())
    assert "Half the panels are running" in shown and "Who sits on the panels?" in shown
    assert not reads_challenges(sql)


def test_an_answer_sent_from_a_kept_panel_is_saved_and_shown(web, world):
    challenge = raise_one(world)
    app = web(world.director)
    app.get(PAGE)
    kept = app.get(PAGE)  # drawn from what was kept: its forms must still post (CSRF)
    form = form_to(kept, reverse("challenge-answer", args=[challenge.pk]))
    form[f"answer-{challenge.pk}-response"] = "Through the tenants' associations."
    page = form.submit().follow()
    assert "Through the tenants&#x27; associations." in page.text
    assert Challenge.objects.get().state == Challenge.State.ANSWERED
    # The Board member who raised it now sees the answer, and may accept it or follow it up.
    board = web(world.board).get(PAGE).text
    assert "Through the tenants&#x27; associations." in board and "Accept the answer" in board


def test_a_challenge_raised_elsewhere_shows_on_the_next_look(client, world):
    client.force_login(world.director)
    assert "Why is this behind?" not in client.get(PAGE).content.decode()
    raise_one(world)
    page = client.get(PAGE).content.decode()
    assert "Why is this behind?" in page and "Send answer" in page


def test_what_one_person_may_do_is_never_shown_to_another(client, world):
    raise_one(world)
    client.force_login(world.director)
    assert "Send answer" in client.get(PAGE).content.decode()
    # The Board may raise one but not answer it; the team may do neither.
    client.force_login(world.board)
    page = client.get(PAGE).content.decode()
    assert "Send answer" not in page and "Raise a challenge" in page
    client.force_login(world.team)
    assert "Send answer" not in client.get(PAGE).content.decode()


def test_a_new_owner_sees_the_form_to_answer_at_once(client, world):
    raise_one(world)
    client.force_login(world.team)
    assert "Send answer" not in client.get(PAGE).content.decode()
    world.action.refresh_from_db()
    world.action.owner = world.team
    world.action.save()
    assert "Send answer" in client.get(PAGE).content.decode()


def test_a_role_given_shows_its_forms_at_once(client, world):
    client.force_login(world.director)
    assert "Raise a challenge" not in client.get(PAGE).content.decode()
    world.director.groups.add(Group.objects.get(name=roles.PROGRAMME_BOARD))
    response = client.get(PAGE)
    assert response.status_code == 200
    assert "Raise a challenge" in response.content.decode()


def test_nothing_is_kept_while_another_transaction_is_writing(client, world, monkeypatch):
    from actions import challenge_panel
    from config import data_state

    real = data_state.latest_changes
    monkeypatch.setattr(
        challenge_panel, "latest_changes", lambda tracked: real(tracked)._replace(settled=False)
    )
    raise_one(world)
    client.force_login(world.director)
    queries_for(client)
    _, sql = queries_for(client)
    assert reads_challenges(sql)
