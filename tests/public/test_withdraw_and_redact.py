"""Withdrawing a published stocktake, or removing one item from it, and what the public then sees.

The programme team's forms are filled in as the pages render them (django-webtest)."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from reporting.models import Stocktake, StocktakeRedaction
from reporting.stocktake import content as stocktake_content
from reporting.stocktake import corrections
from tests.conftest import SignedInClient
from tests.reporting.stocktake_world import draft, html_text, pdf_text, published

pytestmark = pytest.mark.django_db

FILES = [
    ("public-stocktake-pdf", {}),
    ("public-stocktake-data", {}),
    ("public-stocktake-datapackage", {}),
    ("public-stocktake-csv", {"name": "actions"}),
    ("public-stocktake-csv", {"name": "measurements"}),
]


@pytest.fixture
def published_2026(stocktake_world):
    return published(2026, by=stocktake_world.world.team)


@pytest.fixture
def team_app(django_app, world):
    """A browser-like client signed in as the programme team (with the second step done)."""
    client = SignedInClient()
    client.force_login(world.team)
    name = settings.SESSION_COOKIE_NAME
    django_app.set_cookie(name, client.cookies[name].value)
    return django_app


def without_nonces(html: bytes) -> bytes:
    """The page less what differs on every response: CSP nonces and the masked CSRF token."""
    return re.sub(rb'(nonce="|"X-CSRFToken": ")[^"]*"', b"", html)


def today() -> str:
    return f"{timezone.localdate().day} {timezone.localdate():%B %Y}"


def rows(client, name: str) -> list[dict]:
    response = client.get(reverse("public-stocktake-csv", args=[2026, name]))
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def public_text(client) -> str:
    response = client.get(reverse("public-stocktake", args=[2026]))
    assert response.status_code == 200
    return html_text(response.content.decode())


# --- withdrawing ---------------------------------------------------------------------------------


def test_the_team_withdraws_a_stocktake_with_a_reason(team_app, client, published_2026, world):
    assert "HOU-01: Diverse housing panels" in public_text(client)  # cached before withdrawal
    detail = team_app.get(reverse("stocktake-detail", args=[2026]))
    page = detail.click(description="Withdraw the stocktake")
    assert page.status_code == 200
    assert "A withdrawn stocktake cannot be published again" in page.text
    form = page.forms[1]  # the first is the header's sign-out form
    form["reason"] = "It named a tenant by mistake."
    done = form.submit().follow()
    assert "The 2026 stocktake has been withdrawn" in done.text
    assert f"Withdrawn on {today()}" in done.text
    assert "by Programme Team" in done.text or world.team.display_name in done.text
    assert "It named a tenant by mistake." in done.text

    stocktake = Stocktake.objects.get(year=2026)
    assert stocktake.is_withdrawn and stocktake.withdrawn_by == world.team
    record = stocktake.history.first()
    assert record.history_user == world.team
    assert record.history_change_reason == "Withdrawn: It named a tenant by mistake."

    text = public_text(client)
    assert f"This stocktake was withdrawn on {today()}" in text
    assert "It named a tenant by mistake." in text
    assert "Diverse housing panels" not in text and "HOU-01" not in text
    for name, kwargs in FILES:
        response = client.get(reverse(name, kwargs={"year": 2026, **kwargs}))
        assert response.status_code == 410, name
        assert "has been withdrawn" in response.content.decode()
    listing = client.get(reverse("public-stocktakes")).content.decode()
    assert f"Withdrawn on {today()}" in listing
    assert reverse("public-stocktake-pdf", args=[2026]) not in listing


def test_withdrawing_needs_a_reason(team_app, published_2026):
    page = team_app.get(reverse("stocktake-withdraw", args=[2026]))
    form = page.forms[1]
    form["reason"] = "   "
    response = form.submit(status=422)
    assert "There is a problem" in response.text
    assert "Enter why, as the public page will say it" in response.text
    assert response.html.title.text.startswith("Error:")
    assert not Stocktake.objects.get(year=2026).is_withdrawn


def test_a_draft_cannot_be_withdrawn(team_app, stocktake_world, world):
    draft_ = draft(2026)
    response = team_app.get(reverse("stocktake-withdraw", args=[2026])).follow()
    assert "Only a published stocktake can be withdrawn or have items removed" in response.text
    response = team_app.get(reverse("stocktake-redact", args=[2026])).follow()
    assert "Only a published stocktake can be withdrawn or have items removed" in response.text
    with pytest.raises(ValidationError):
        corrections.redact(stocktake=draft_, user=world.team, ref="HOU-01", reason="x")
    with pytest.raises(ValidationError):
        corrections.withdraw(stocktake=draft_, user=world.team, reason="x")
    assert not StocktakeRedaction.objects.exists()
    assert not Stocktake.objects.get(year=2026).is_withdrawn


def test_a_withdrawn_stocktake_cannot_be_withdrawn_again(team_app, published_2026, world):
    corrections.withdraw(stocktake=published_2026, user=world.team, reason="First")
    response = team_app.get(reverse("stocktake-withdraw", args=[2026])).follow()
    assert "The 2026 stocktake has already been withdrawn" in response.text
    assert Stocktake.objects.get(year=2026).withdrawn_reason == "First"


# --- removing one item ---------------------------------------------------------------------------


def remove(team_app, ref: str, reason: str):
    page = team_app.get(reverse("stocktake-redact", args=[2026]))
    form = page.forms[1]
    form["ref"] = ref
    form["reason"] = reason
    return form.submit().follow()


def test_the_team_removes_an_action_and_the_public_sees_why(
    team_app, client, published_2026, world
):
    before = public_text(client)  # the page is cached now: removing must not serve it stale
    assert "HOU-01: Diverse housing panels" in before
    done = remove(team_app, "HOU-01", "It described a named tenant.")
    assert "HOU-01 has been removed from the public page and the open data" in done.text
    assert "Action HOU-01" in done.text and "It described a named tenant." in done.text
    redaction = StocktakeRedaction.objects.get()
    assert (redaction.kind, redaction.redacted_by) == ("action", world.team)
    record = Stocktake.objects.get(year=2026).history.first()
    assert record.history_user == world.team
    assert record.history_change_reason == "HOU-01 removed: It described a named tenant."

    text = public_text(client)
    assert f"HOU-01 This item was removed on {today()}: It described a named tenant." in text
    assert "Diverse housing panels" not in text
    assert "Panels recruited in two areas" not in text  # its progress
    assert "Panel in place by summer 2021" not in text  # its targets go with it
    assert "PH-01: Diabetes prevention" in text  # the rest stays
    assert "The PDF is withdrawn until it is made again" in text

    assert "HOU-01" not in {row["ref"] for row in rows(client, "actions")}
    assert {row["action_ref"] for row in rows(client, "targets")} <= {"PH-01"}
    assert "HOU-T02" not in {row["indicator_ref"] for row in rows(client, "measurements")}
    outcomes = {row["ref"]: row for row in rows(client, "outcomes")}
    assert "HOU-01" not in outcomes["HOU-O01"]["action_refs"]

    pdf = client.get(reverse("public-stocktake-pdf", args=[2026]))
    assert pdf.status_code == 410
    assert "HOU-01, removed on" in pdf.content.decode()


def test_removing_an_outcome_takes_it_and_its_values_out(team_app, client, published_2026):
    remove(team_app, "HOU-O01", "The breakdown could identify people.")
    text = public_text(client)
    assert f"HOU-O01 This item was removed on {today()}: The breakdown could identify" in text
    assert "People into work" not in text
    assert "HOU-O01" not in {row["ref"] for row in rows(client, "outcomes")}
    assert "HOU-O01" not in {row["indicator_ref"] for row in rows(client, "measurements")}
    assert "HOU-01: Diverse housing panels" in text


def test_removing_a_target_leaves_its_action(team_app, client, published_2026):
    remove(team_app, "HOU-T01", "Wrong date published.")
    text = public_text(client)
    assert f"HOU-T01 This item was removed on {today()}: Wrong date published." in text
    assert "Panel in place by summer 2021" not in text
    assert "HOU-01: Diverse housing panels" in text
    assert {row["ref"] for row in rows(client, "targets")} >= {"HOU-T02"}
    assert "HOU-T01" not in {row["ref"] for row in rows(client, "targets")}


def test_an_item_once_removed_is_no_longer_offered(team_app, published_2026):
    remove(team_app, "HOU-T01", "Wrong date published.")
    page = team_app.get(reverse("stocktake-redact", args=[2026]))
    options = [value for value, _, _ in page.forms[1]["ref"].options]
    assert "HOU-T01" not in options and "HOU-01" in options
    assert "HOU-03" not in options  # never public, so never published


def test_removing_needs_an_item_and_a_reason(team_app, published_2026):
    page = team_app.get(reverse("stocktake-redact", args=[2026]))
    response = page.forms[1].submit(status=422)
    assert "Choose the action, target or outcome to remove" in response.text
    assert "Enter why, as the public page will say it" in response.text
    assert not StocktakeRedaction.objects.exists()


def test_an_item_not_in_the_stocktake_is_refused(team_app, published_2026):
    page = team_app.get(reverse("stocktake-redact", args=[2026]))
    form = page.forms[1]
    form["ref"].force_value("HOU-03")  # private: not in the published stocktake
    form["reason"] = "Testing"
    response = form.submit(status=422)
    assert "Choose an action, target or outcome the published stocktake still shows" in (
        response.text
    )
    assert not StocktakeRedaction.objects.exists()


# --- served from the cache -----------------------------------------------------------------------


def test_the_public_page_and_files_are_built_once(
    client, published_2026, monkeypatch, django_assert_num_queries
):
    built = []
    original = stocktake_content.for_stocktake
    monkeypatch.setattr(
        stocktake_content, "for_stocktake", lambda s: built.append(s.year) or original(s)
    )
    first = client.get(reverse("public-stocktake", args=[2026]))
    for name in ("actions", "targets", "outcomes", "measurements", "data-dictionary"):
        client.get(reverse("public-stocktake-csv", args=[2026, name]))
    client.get(reverse("public-stocktake-datapackage", args=[2026]))
    assert built == [2026]
    # From the cache: the stocktake and its removals, and nothing from the framework's history.
    with django_assert_num_queries(2):
        again = client.get(reverse("public-stocktake", args=[2026]))
    assert without_nonces(again.content) == without_nonces(first.content)
    assert b"HOU-01: Diverse housing panels" in again.content
    with django_assert_num_queries(2):
        client.get(reverse("public-stocktake-csv", args=[2026, "measurements"]))
    assert built == [2026]


def test_a_new_publication_moment_is_built_afresh(client, published_2026, monkeypatch):
    built = []
    original = stocktake_content.for_stocktake
    monkeypatch.setattr(
        stocktake_content, "for_stocktake", lambda s: built.append(s.year) or original(s)
    )
    client.get(reverse("public-stocktake", args=[2026]))
    published_2026.published_at = timezone.now()
    published_2026.save()
    client.get(reverse("public-stocktake", args=[2026]))
    assert built == [2026, 2026]


def test_the_pdf_made_again_leaves_the_removed_item_out(team_app, client, published_2026):
    detail = remove(team_app, "HOU-01", "It described a named tenant.")
    assert "The PDF is withdrawn until it is made again" in public_text(client)
    form = next(f for f in detail.forms.values() if f.action.endswith("/remake-pdf/"))
    done = form.submit().follow()  # the tests' task backend makes it straight away
    assert "The PDF is being made again without the removed items" in done.text

    response = client.get(reverse("public-stocktake-pdf", args=[2026]))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "This item was removed on" in text and "It described a named tenant." in text
    assert "Diverse housing panels" not in text
    assert "Diabetes prevention" in text
    page = client.get(reverse("public-stocktake", args=[2026])).content.decode()
    assert "The PDF is withdrawn" not in page
    assert reverse("public-stocktake-pdf", args=[2026]) in page


def test_the_pdf_cannot_be_made_again_when_nothing_was_removed(team_app, published_2026):
    response = team_app.get(reverse("stocktake-detail", args=[2026]))
    assert not any(f.action.endswith("/remake-pdf/") for f in response.forms.values())
    with pytest.raises(ValidationError, match="Nothing has been removed"):
        corrections.remake_pdf(stocktake=published_2026, user=published_2026.published_by)
