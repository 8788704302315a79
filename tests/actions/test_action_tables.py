"""The tables of the framework browser and My actions draw their cells in Python
(actions/views/cells.py): proved the same, byte for byte, as the {% cell %}s they replaced, for
every kind of row (owned or not, delegated, due or not, past due, late, due, updated, no update
owed, challenged)."""

import datetime

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import timezone

from actions import services
from actions.cycles import state_in_cycle
from actions.models import Action, Challenge, ReportingCycle
from actions.views import browse, mine
from actions.views.cells import HISTORY_HEAD, history_rows
from config import roles
from config.history import attribute
from tests import factories

pytestmark = pytest.mark.django_db

# The templates' cells before they were drawn in Python (templates/strands/framework.html and
# templates/actions/my_actions.html).
FRAMEWORK_CELLS = """{% load govuk %}{% table actions as action caption="Actions in "|add:area.name caption_hidden=True scroll_label="Actions in "|add:area.name|add:" ("|add:area.ref|add:")" classes="app-framework__table" stack=True %}
          {% cell "Action" %}<a class="govuk-link" href="{% url 'action-detail' action.ref %}">{{ action.ref }}<span class="govuk-visually-hidden">:</span> {{ action.title }}</a>{% endcell %}
          {% cell "Owner" %}
            {% with owner=action.responsible_owner %}{% if owner %}{{ owner|person }}{% else %}Not assigned{% endif %}{% endwith %}
            {% if action.lead_officer %}<br><span class="govuk-body-s">Lead officer: {{ action.lead_officer|person }}</span>{% endif %}
          {% endcell %}
          {% cell "Status" %}{% status_tag action.status action.get_status_display %}<br><span class="govuk-body-s">{{ action.progress }}% complete</span>{% endcell %}
          {% cell "Due" %}{% if action.due_date %}{{ action.due_date|date:"j M Y" }}{% if action.is_overdue %}<br>{% tag "Past due" "red" %}{% endif %}{% else %}<span class="govuk-body-s">Not given</span>{% endif %}{% endcell %}
          {% cell "This cycle" %}
            {% if action.cycle_state %}
              {% if action.cycle_state.code == "late" %}
                {% tag "Late" "red" %}
              {% elif action.cycle_state.code == "due" %}
                {% tag "Update due" "yellow" %}
              {% else %}
                {% tag "Updated" "green" %}
              {% endif %}
          {% else %}<span class="govuk-body-s">No update owed</span>{% endif %}
          {% if action.last_update_at %}<br><span class="govuk-body-s">Last update {{ action.last_update_at|date:"j M Y" }}</span>{% endif %}
        {% endcell %}
      {% endtable %}"""
MY_ACTIONS_CELLS = """{% load govuk %}{% table actions as action caption="Actions in "|add:area.name caption_hidden=True scroll_label="Actions in "|add:area.name|add:" ("|add:area.ref|add:")" stack=True %}
          {% cell "Action" %}
            <a class="govuk-link"
               href="{% url 'action-detail' action.ref %}">{{ action.ref }}<span class="govuk-visually-hidden">:</span> {{ action.title }}</a>
            {% if action.lead_officer and action.lead_officer != request.user %}<br><span class="govuk-body-s">Lead officer: {{ action.lead_officer|person }}</span>{% endif %}
            {% if action.lead_officer == request.user %}<br><span class="govuk-body-s">Delegated to you</span>{% endif %}
            {% if action.open_challenges %}<br><strong class="govuk-body-s"><a class="govuk-link"
                                                                               href="{% url 'action-detail' action.ref %}#challenges-panel">{{ action.open_challenges }} Board challenge{{ action.open_challenges|pluralize }} to answer<span class="govuk-visually-hidden"> on {{ action.ref }}</span></a></strong>{% endif %}
          {% endcell %}
          {% cell "Status" %}
            {% status_tag action.status action.get_status_display %}
          {% endcell %}
          {% cell "% complete" numeric=True %}{{ action.progress }}%{% endcell %}
          {% cell "Last update" %}
            {% if action.last_update_at %}{{ action.last_update_at|date:"j M Y" }}<br><span class="govuk-body-s">by {{ action.last_update_author|person }}</span>{% else %}No updates yet{% endif %}
          {% endcell %}
          {% cell "This cycle" %}
            {% if action.cycle_state %}
              {% if action.cycle_state.code == "late" %}
                {% tag "Late" "red" %}
              {% elif action.cycle_state.code == "due" %}
                {% tag "Update due" "yellow" %}
              {% else %}
                {% tag "Updated" "green" %}
              {% endif %}
          {% else %}<span class="govuk-body-s">No update owed</span>{% endif %}
        {% endcell %}
      {% endtable %}"""


@pytest.fixture
def actions(world):
    today = datetime.date.today()
    ReportingCycle.objects.create(
        name="Now",
        start_date=today - datetime.timedelta(days=30),
        close_date=today - datetime.timedelta(days=1),
    )
    w = world
    w.action.due_date = today - datetime.timedelta(days=1)  # past due, delegated
    w.action.save()
    w.undelegated.owner = w.other_director
    w.undelegated.due_date = today + datetime.timedelta(days=10)
    w.undelegated.save()
    services.record_progress(
        action=w.undelegated,
        user=w.director,
        status="on_track",
        progress=20,
        narrative="Going well",
        seen_version=w.undelegated.version,
    )
    factories.action("HOU-03", area=w.housing, status="complete", progress=100)
    factories.action("HOU-04", area=w.housing, title="<b>Tom & Jerry's</b>", lead_officer=w.lead)
    Challenge.objects.create(action=w.action, question="Why?", raised_by=w.board)
    Challenge.objects.create(action=w.action, question="And?", raised_by=w.board)
    return w


def _rows(user):
    cycle = ReportingCycle.objects.get()
    rows = list(
        Action.objects.filter(service_area__ref="HOU")
        .with_latest_update()
        .annotate(open_challenges=mine._open_challenges())
        .select_related("service_area__strand", "service_area__director", "owner", "lead_officer")
        .order_by("ref")
    )
    authors = {p.id: p for p in type(user).objects.all()}
    today = datetime.date.today()
    for action in rows:
        action.cycle_state = state_in_cycle(
            cycle=cycle, is_live=action.is_live, last_update_at=action.last_update_at, on=today
        )
        action.is_overdue = bool(action.is_live and action.due_date and action.due_date < today)
        action.last_update_author = authors.get(action.last_update_author_id)
    return rows


def _drawn(markup, user, **context):
    request = RequestFactory().get("/")
    request.user = user
    area = {"name": "Housing", "ref": "HOU"}
    return Template(markup).render(Context({**context, "request": request, "area": area}))


def _python_table(options=""):
    return (
        '{% load govuk %}{% table head=head rows=rows caption="Actions in "|add:area.name '
        'caption_hidden=True scroll_label="Actions in "|add:area.name|add:" ("|add:area.ref|add:")"'
        f" {options}stack=True %}}{{% endtable %}}"
    )


def test_the_framework_browsers_rows_are_drawn_as_its_cells_drew_them(actions):
    rows = _rows(actions.director)
    assert {a.cycle_state.code if a.cycle_state else None for a in rows} >= {"late", None}
    expected = _drawn(FRAMEWORK_CELLS, actions.director, actions=rows)
    drawn = _drawn(
        _python_table('classes="app-framework__table" '),
        actions.director,
        head=browse.HEAD,
        rows=[browse._cells(a) for a in rows],
    )
    assert "Past due" in drawn and "No update owed" in drawn and "&lt;b&gt;Tom" in drawn
    assert drawn == expected


def test_my_actions_rows_are_drawn_as_its_cells_drew_them(actions):
    for user in (actions.director, actions.lead):
        rows = _rows(user)
        expected = _drawn(MY_ACTIONS_CELLS, user, actions=rows)
        drawn = _drawn(
            _python_table(), user, head=mine.HEAD, rows=[mine._cells(a, user) for a in rows]
        )
        assert "2 Board challenges" in drawn and "No updates yet" in drawn
        assert drawn == expected


# The action page's change history before its rows were drawn in Python
# (templates/actions/detail.html).
HISTORY_CELLS = """{% load govuk people %}{% table history as entry caption="Every change to this action and its targets" caption_hidden=True classes="app-history" scroll_label="Change history" stack=True %}
          {% cell "When" %}{{ entry.when|date:"j M Y, H:i" }}{% endcell %}
          {% cell "Who" %}{% if entry.who %}{{ entry.who|person }}{% else %}System{% endif %}{% endcell %}
          {% cell "What changed" %}
            {% if entry.kind == "Created" %}{{ entry.what }} created
            {% else %}<span class="govuk-body-s">{{ entry.what }}</span>
              <ul class="govuk-list govuk-!-margin-bottom-0">{% for change in entry.changes %}<li>{{ change.label }}: {{ change.old }} → {{ change.new }}</li>{% endfor %}</ul>
            {% endif %}
          {% endcell %}
          {% cell "Why" %}{{ entry.reason|default:"–" }}{% endcell %}
        {% endtable %}"""
HISTORY_ROWS = """{% load govuk %}{% table head=history_head rows=history_rows caption="Every change to this action and its targets" caption_hidden=True classes="app-history" scroll_label="Change history" stack=True %}{% endtable %}"""


def test_the_change_history_is_drawn_as_its_cells_drew_it(client):
    director = factories.person("d@council.example", role=roles.SERVICE_DIRECTOR)
    lead = factories.person("l@council.example", role=roles.LEAD_OFFICER)
    lead.first_name = "Lee <b>"
    lead.save()
    action = factories.action(area=factories.service_area(director=director), title="A & B")
    target = factories.target(action_=action)
    # Created by no one (System), changed with and without a reason, names and text escaped.
    services.record_progress(
        action=action,
        user=director,
        status="at_risk",
        progress=10,
        narrative="Staff <left> & more",
        seen_version=action.version,
    )
    action.refresh_from_db()
    services.delegate(
        action=action,
        user=director,
        lead_officer=services.lead_officers().get(),
        seen_version=action.version,
    )
    target.description = "Now <new>"
    attribute(target, user=director)
    target.save()
    client.force_login(director)
    context = client.get(f"/actions/{action.ref}/").context
    history = context["history"]
    assert {e.kind for e in history} >= {"Created", "Changed"}
    assert any(e.who is None for e in history) and any(not e.reason for e in history)
    assert any("<" in c.new for e in history for c in e.changes)
    with timezone.override("Europe/London"):
        before = Template(HISTORY_CELLS).render(Context({"history": history}))
        after = Template(HISTORY_ROWS).render(
            Context({"history_head": HISTORY_HEAD, "history_rows": history_rows(history)})
        )
    assert after == before


UPDATE_LOG = """{% load govuk %}{% for update in updates %}
          <li class="app-log__entry">
            <p class="govuk-body govuk-!-margin-bottom-1"><strong>{{ update.created_at|date:"j F Y" }}</strong>, {{ update.author|person }}: {{ update.get_status_display }}, {{ update.progress }}% complete{% if update.is_demo %} {% tag "Demo data" "purple" %}{% endif %}</p>
            {% if update.narrative %}<p class="govuk-body">{{ update.narrative|linebreaksbr }}</p>{% endif %}
          </li>
        {% endfor %}"""  # the loop templates/actions/detail.html had


def test_the_update_log_is_drawn_as_its_loop_drew_it(world):
    from actions.models import ProgressUpdate
    from actions.views.cells import update_log

    action = world.action
    late_evening = datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC)  # BST: 1 April
    ProgressUpdate.objects.create(
        action=action, status="on_track", progress=10, narrative="", author=world.lead
    )
    ProgressUpdate.objects.create(
        action=action,
        status="at_risk",
        progress=35,
        narrative="Line one\nLine <two> & three\r\nfour",
        author=world.director,
        is_demo=True,
        created_at=late_evening,
    )
    updates = list(action.updates.select_related("author").order_by("-created_at", "-id"))
    assert len(updates) == 2
    expected = Template(UPDATE_LOG).render(Context({"updates": updates}))
    drawn = update_log(updates)
    assert "Line <two>" not in drawn and "Line &lt;two&gt; &amp; three<br>four" in drawn
    assert "1 April 2026" in drawn and "Demo data" in drawn
    assert drawn == expected
