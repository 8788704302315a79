"""Loading a framework in the browser: the dry run reports exactly what the command reports and
changes nothing; confirmation writes everything or nothing, as the uploader with their reason;
the stored file is checked again; bad files get a clear message and never a 500."""

import csv
import html
import io
import re
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from webtest import Upload

from actions.models import Action
from config import invitations, roles
from config.models import Invitation, User
from strands.models import FrameworkUpload, Strand
from targets import uploads
from targets.spreadsheet import plan_import
from targets.spreadsheet.exporter import framework_rows, workbook_bytes
from targets.spreadsheet.reader import read_framework_bytes
from tests import factories
from tests.strands.helpers import (
    framework_counts,
    history_count,
    import_errors,
    rewrite,
    run_import,
)
from tests.webforms import assert_links_resolve, form_to

pytestmark = pytest.mark.django_db
LOAD = "/framework/load/"


# --- Files made from the other council's CSVs ----------------------------------------------------


def zip_of(folder) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.writestr(path.name, path.read_bytes())
    return buffer.getvalue()


def workbook_of(folder) -> bytes:
    """The CSVs as an .xlsx workbook, one sheet each (via the exporter's writer)."""
    rows = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows[path.stem] = list(csv.DictReader(handle))
    return workbook_bytes(rows)


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def upload(team, name: str, data: bytes, content_type="application/octet-stream"):
    """Choose the file in the page's upload form and send it (team: a tests.webforms app)."""
    form = form_to(team.get(LOAD), LOAD)
    form["file"] = Upload(name, data, content_type)
    return form.submit(status="*")


def post_file(client, name: str, data: bytes):
    """A hand-built upload, for people who get no form (a Django test client)."""
    return client.post(LOAD, {"file": SimpleUploadedFile(name, data)})


def report_lines(response) -> list[str]:
    match = re.search(r'<pre class="app-report-lines">(.*?)</pre>', response.text, re.S)
    assert match, "the report as text is on the page"
    return [html.unescape(line) for line in match.group(1).splitlines() if line]


def problem_lines(response) -> list[str]:
    match = re.search(
        r'<ul class="govuk-list govuk-list--bullet app-problems">(.*?)</ul>', response.text, re.S
    )
    assert match, "the problems are listed"
    return [html.unescape(item) for item in re.findall(r"<li>(.*?)</li>", match.group(1), re.S)]


def anytown_imported() -> bool:
    return Strand.objects.filter(ref__startswith="ST-").exists()


def command_dry_run(path) -> list[str]:
    lines = [line for line in run_import(path, "--dry-run").splitlines() if line]
    assert lines[-1] == "Dry run: nothing was written."
    return lines[:-1]


@pytest.fixture
def team(web, world):
    """The programme team in django-webtest: pages fetched, their forms filled and submitted."""
    return web(world.team)


@pytest.fixture
def team_client(as_user, world):
    """The programme team with Django's test client, for hand-built requests the page never sends."""
    return as_user(world.team)


def uploaded(response) -> FrameworkUpload:
    assert response.status_code == 302, problem_lines(response)
    token = response.location.rstrip("/").split("/")[-1]
    return FrameworkUpload.objects.get(token=token)


# --- The dry run -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["zip", "xlsx"])
def test_the_dry_run_reports_what_the_command_reports_and_changes_nothing(
    team, anytown_dir, tmp_path, kind
):
    data = zip_of(anytown_dir) if kind == "zip" else workbook_of(anytown_dir)
    path = write(tmp_path, f"anytown.{kind}", data)
    before, history = framework_counts(), history_count()
    response = upload(team, f"anytown.{kind}", data)
    stored = uploaded(response)
    assert framework_counts() == before and history_count() == history
    report = response.follow()
    assert report.status_code == 200
    assert report_lines(report) == command_dry_run(path)
    assert framework_counts() == before and history_count() == history
    text = report.text
    assert "Check the import of anytown." in text
    assert "dana.director@anytown.example" in text  # people to add
    assert "actions row 2: LEIS-01" in text
    assert "Import the framework" in text
    assert stored.sha256 and bytes(stored.data) == data


def test_the_report_shows_changes_field_by_field_as_the_command_does(team, anytown_copy, tmp_path):
    run_import(anytown_copy)
    rewrite(anytown_copy, "actions", "Free swimming for carers", "Free swimming for all carers")
    rewrite(
        anytown_copy, "strands", "Anytown as a community leader", "Anytown the community leader"
    )
    data = zip_of(anytown_copy)
    path = write(tmp_path, "changed.zip", data)
    report = team.get(f"{LOAD}{uploaded(upload(team, 'changed.zip', data)).token}/")
    assert report_lines(report) == command_dry_run(path)
    text = html.unescape(report.text)
    assert "Changes, field by field" in text
    assert "Free swimming for carers" in text and "Free swimming for all carers" in text
    assert "items in the file are the same as the framework and will be left alone" in text
    assert Action.objects.get(ref="LEIS-01").title == "Free swimming for carers"


def test_a_file_that_changes_nothing_says_so_and_offers_no_import(team, anytown_dir):
    run_import(anytown_dir)
    report = team.get(f"{LOAD}{uploaded(upload(team, 'same.zip', zip_of(anytown_dir))).token}/")
    assert "importing it would change nothing" in report.text
    assert "Import the framework</button>" not in report.text


@pytest.mark.parametrize("kind", ["zip", "xlsx"])
def test_every_error_is_reported_as_the_command_reports_it(team, anytown_copy, tmp_path, kind):
    rewrite(anytown_copy, "actions", "2025-04-01", "spring 2025")
    rewrite(anytown_copy, "targets", "milestone", "someday")
    rewrite(anytown_copy, "outcomes", "LEIS-O1,LEIS", "LEIS-O1,NOWHERE")
    data = zip_of(anytown_copy) if kind == "zip" else workbook_of(anytown_copy)
    path = write(tmp_path, f"broken.{kind}", data)
    expected = import_errors(path)
    assert len(expected) >= 3
    before, history = framework_counts(), history_count()
    response = upload(team, f"broken.{kind}", data)
    assert response.status_code == 422
    assert problem_lines(response) == expected
    assert response.text.count("<title>Error: Load the framework")
    assert f"broken.{kind} has {len(expected)} problems. Nothing was imported" in response.text
    assert framework_counts() == before and history_count() == history
    assert not FrameworkUpload.objects.exists()


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("framework.csv", b"ref,name\n", "must be an Excel workbook (.xlsx) or a zip of CSV files"),
        ("framework.pdf", b"%PDF-1.7", "must be an Excel workbook (.xlsx) or a zip of CSV files"),
        ("framework", b"PK", "must be an Excel workbook (.xlsx) or a zip of CSV files"),
        ("empty.xlsx", b"", "The selected file is empty"),
        (
            "corrupt.xlsx",
            b"PK\x03\x04 not really a workbook",
            "is not an Excel workbook (.xlsx) that can be opened",
        ),
        ("corrupt.zip", b"this is no zip", "is not a zip file that can be opened"),
        (
            "locked.xlsx",
            bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 600,
            "password-protected or in the old .xls format",
        ),
        ("notes.zip", None, "The strands.csv is missing"),
    ],
)
def test_a_bad_file_gets_a_clear_message_and_changes_nothing(team, name, data, message):
    if data is None:  # a zip with no framework in it
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("notes.txt", "hello")
        data = buffer.getvalue()
    response = upload(team, name, data)
    assert response.status_code == 422
    assert message in html.unescape(response.text)
    assert "<title>Error: " in response.text
    assert not FrameworkUpload.objects.exists() and not anytown_imported()


def test_a_password_protected_zip_is_refused(team, anytown_dir):
    data = bytearray(zip_of(anytown_dir))
    # Mark every member encrypted, in its local header and in the central directory.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = data.find(signature)
        while start != -1:
            data[start + offset] |= 0x1
            start = data.find(signature, start + 4)
    response = upload(team, "locked.zip", bytes(data))
    assert response.status_code == 422
    assert "The zip file is password-protected. Upload it without a password." in response.text
    assert not anytown_imported()


def test_an_oversized_file_is_refused_before_it_is_read(team, settings, anytown_dir):
    settings.FRAMEWORK_IMPORT_MAX_BYTES = 1024 * 1024
    response = upload(team, "big.zip", b"PK" + b"x" * (1024 * 1024 + 1))
    assert response.status_code == 422
    assert "The selected file must be smaller than 1 MB" in response.text


def test_no_file_at_all(team):
    response = form_to(team.get(LOAD), LOAD).submit(status=422)
    assert "Select a framework file" in response.text
    assert 'href="#id_file"' in response.text  # the summary links to the field
    assert_links_resolve(response)


def test_a_file_the_reader_cannot_foresee_breaking_is_still_a_message(team, monkeypatch):
    def explode(name, data):
        raise TypeError("something deep inside openpyxl")

    monkeypatch.setattr(uploads, "read_framework_bytes", explode)
    response = upload(team, "odd.xlsx", b"PK\x03\x04")
    assert response.status_code == 422
    assert "The file could not be read" in response.text


# --- Confirming ------------------------------------------------------------------------------------


def confirm(team, stored, reason="Anytown's framework for 2025", digest=None):
    """Give the reason in the report page's confirm form and send it; digest forges the report."""
    report = team.get(f"{LOAD}{stored.token}/")
    form = form_to(report, f"{LOAD}{stored.token}/confirm/")
    form["reason"] = reason
    if digest is not None:
        form["report_digest"].force_value(digest)
    return form.submit(status="*")


def test_confirming_imports_everything_as_the_uploader_with_their_reason(team, world, anytown_dir):
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    response = confirm(team, stored)
    assert response.status_code == 302 and response.location == f"{LOAD}{stored.token}/imported/"
    assert Action.objects.filter(ref__startswith="LEIS").count() == 2
    for model in (Strand, Action):
        records = model.history.filter(ref__in=["ST-LEAD", "ST-SERV", "LEIS-01", "LEIS-02"])
        assert records.exists()
        assert {r.history_user for r in records} == {world.team}
        assert {r.history_change_reason for r in records} == {"Anytown's framework for 2025"}
    page = team.get(LOAD)
    assert "Framework imported from anytown.zip: 2 strands added" in page.text
    assert "Anytown&#x27;s framework for 2025" in page.text  # recent imports
    stored.refresh_from_db()
    assert stored.applied_at and stored.reason == "Anytown's framework for 2025"
    assert bytes(stored.data) == b""
    # The token cannot be used twice.
    assert team.get(f"{LOAD}{stored.token}/", status=404)


def confirm_again(client, stored):
    return client.post(f"{LOAD}{stored.token}/confirm/", {"reason": "Again", "report_digest": "x"})


def test_the_token_of_an_imported_file_cannot_be_confirmed_again(team, team_client, anytown_dir):
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    confirm(team, stored)
    assert confirm_again(team_client, stored).status_code == 404


def test_a_reason_is_required(team, anytown_dir):
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    response = confirm(team, stored, reason="  ")
    assert response.status_code == 422
    assert "Enter why you are importing this file" in response.text
    assert "<title>Error: " in response.text
    assert_links_resolve(response)
    assert not anytown_imported()


def test_confirm_writes_everything_or_nothing(team, world, anytown_dir, monkeypatch):
    from targets.spreadsheet import importer

    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    digest = stored.report_digest
    before, history = framework_counts(), history_count()

    def fail(self, obj, values):
        raise RuntimeError("the database went away half way")

    monkeypatch.setattr(importer._Writer, "_fill_targets", fail)
    with pytest.raises(RuntimeError):
        uploads.confirm_upload(upload=stored, user=world.team, reason="Half", seen_digest=digest)
    assert framework_counts() == before and history_count() == history
    assert not anytown_imported()
    stored.refresh_from_db()
    assert stored.applied_at is None and bytes(stored.data)


def test_a_change_to_the_framework_after_the_dry_run_is_caught_and_nothing_written(
    team, world, anytown_copy
):
    run_import(anytown_copy)
    rewrite(anytown_copy, "actions", "Free swimming for carers", "Free swimming for all carers")
    stored = uploaded(upload(team, "changed.zip", zip_of(anytown_copy)))
    report = team.get(f"{LOAD}{stored.token}/")
    form = form_to(report, f"{LOAD}{stored.token}/confirm/")
    seen = form["report_digest"].value
    form["reason"] = "Refresh"
    # Meanwhile someone else changes the same action's progress, which the file also sets.
    action = Action.objects.get(ref="LEIS-01")
    action.progress = 55
    action.save()
    response = form.submit(status=409)
    assert "The framework changed after you checked this file, so nothing was imported" in (
        html.unescape(response.text)
    )
    action.refresh_from_db()
    assert (action.title, action.progress) == ("Free swimming for carers", 55)
    assert 'value="Refresh"' not in response.text  # the reason is kept in its textarea instead
    assert re.search(r">\s*Refresh</textarea>", response.text)
    # The new report shows the progress the file would put back; confirming it now imports.
    assert "55" in response.text and "40" in response.text
    form = form_to(response, f"{LOAD}{stored.token}/confirm/")
    assert form["report_digest"].value != seen
    assert form["reason"].value.strip() == "Refresh"
    done = form.submit()
    assert done.status_code == 302
    action.refresh_from_db()
    assert (action.title, action.progress) == ("Free swimming for all carers", 40)


def test_a_forged_report_is_not_trusted(team, anytown_dir):
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    response = confirm(team, stored, digest="0" * 64)
    assert response.status_code == 409
    assert not anytown_imported()


def test_a_stored_file_that_was_tampered_with_is_refused(team, anytown_dir):
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    form = form_to(team.get(f"{LOAD}{stored.token}/"), f"{LOAD}{stored.token}/confirm/")
    form["reason"] = "Anytown's framework"
    stored.data = zip_of(anytown_dir) + b"tampered"  # after the report was shown
    stored.save()
    response = form.submit(status=422)
    assert "The stored copy of the file is damaged. Upload the file again." in response.text
    assert not anytown_imported()


def test_an_upload_expires(team, team_client, anytown_dir, settings):
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    stored.created_at = timezone.now() - timezone.timedelta(minutes=61)
    stored.save()
    response = confirm_again(team_client, stored)
    assert response.status_code == 302 and response.url == LOAD
    page = team_client.get(LOAD)
    assert "Your upload of anytown.zip has expired and nothing was imported" in page.text
    assert not anytown_imported()
    # The next upload clears expired ones away.
    upload(team, "anytown.zip", zip_of(anytown_dir))
    assert not FrameworkUpload.objects.filter(pk=stored.pk).exists()


def test_only_the_uploader_can_see_or_confirm_their_upload(team, as_user, world, anytown_dir):
    from config import roles
    from tests import factories

    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    colleague = as_user(factories.person("colleague@council.example", role=roles.PROGRAMME_TEAM))
    assert colleague.get(f"{LOAD}{stored.token}/").status_code == 404
    assert confirm_again(colleague, stored).status_code == 404
    for person in (world.director, world.lead, world.board):
        client = as_user(person)
        assert client.get(f"{LOAD}{stored.token}/").status_code == 403
        assert confirm_again(client, stored).status_code == 403
        assert post_file(client, "anytown.zip", zip_of(anytown_dir)).status_code == 403
    assert not anytown_imported()


# --- After the import: inviting the people it added ------------------------------------------------


def anytown_people() -> set[str]:
    return set(
        User.objects.filter(email__endswith="@anytown.example").values_list("email", flat=True)
    )


def test_the_result_page_lists_the_people_the_import_added_and_invites_exactly_them_once(
    team, team_client, world, anytown_dir
):
    # Someone already here and not invited: not this import's to invite.
    factories.person("waiting@council.example", role=roles.LEAD_OFFICER, password=None)
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    page = confirm(team, stored).follow()
    assert page.html.select_one("h1").text == "Framework imported from anytown.zip"
    added = anytown_people()
    assert len(added) >= 3
    assert set(stored.people_added.values_list("email", flat=True)) == added
    listed = {
        row.select("td")[0].get_text(" ", strip=True): row.select("td")[3].get_text(strip=True)
        for row in page.html.select("#people-added ~ .app-table-scroll tbody tr")
    }
    assert set(listed) == added
    assert set(listed.values()) == {"Not invited"}
    assert "Framework imported from anytown.zip: 2 strands added" in page.text

    mail.outbox.clear()
    page = page.forms["invite-added"].submit().follow()
    assert f"You invited {len(added)} people added by this import" in page.text
    assert sorted(m.to[0] for m in mail.outbox) == sorted(added)
    assert "Everyone this import added has been invited." in page.text
    assert "invite-added" not in page.forms
    listed = [
        row.select("td")[3].get_text(strip=True)
        for row in page.html.select("#people-added ~ .app-table-scroll tbody tr")
    ]
    assert set(listed) == {"Invited, not accepted yet"}
    assert Invitation.objects.filter(person__email="waiting@council.example").count() == 0

    # Never twice: a second post (another tab, a double click) sends nothing more.
    mail.outbox.clear()
    again = team_client.post(f"{LOAD}{stored.token}/invite/", follow=True)
    assert "Everyone this import added has already been invited" in again.content.decode()
    assert mail.outbox == []
    assert Invitation.objects.filter(person__email__in=added).count() == len(added)


def test_someone_the_import_added_and_invited_since_is_not_invited_again(team, world, anytown_dir):
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    page = confirm(team, stored).follow()
    first = User.objects.get(email="dana.director@anytown.example")
    invitations.invite(person=first, invited_by=world.team)  # from the People page, meanwhile
    mail.outbox.clear()
    page = page.forms["invite-added"].submit().follow()
    assert f"You invited {len(anytown_people()) - 1} people added by this import" in page.text
    assert first.email not in [m.to[0] for m in mail.outbox]
    assert first.invitations.count() == 1


def test_an_import_that_adds_nobody_offers_no_invitations(team, anytown_copy):
    run_import(anytown_copy)  # its people are here already
    rewrite(anytown_copy, "actions", "Free swimming for carers", "Free swimming for all carers")
    stored = uploaded(upload(team, "changed.zip", zip_of(anytown_copy)))
    page = confirm(team, stored).follow()
    assert "This import added nobody: everyone it names was here already." in page.text
    assert "invite-added" not in page.forms
    assert stored.people_added.count() == 0


def test_the_result_page_makes_the_same_number_of_queries_for_more_people(team, anytown_copy):
    def queries_for(folder, name) -> tuple[int, int]:
        stored = uploaded(upload(team, name, zip_of(folder)))
        confirm(team, stored)
        with CaptureQueriesContext(connection) as queries:
            team.get(f"{LOAD}{stored.token}/imported/")
        return stored.people_added.count(), len(queries)

    few_people, few = queries_for(anytown_copy, "anytown.zip")
    # A second file with six more actions, each naming a new lead officer.
    rows = (anytown_copy / "actions.csv").read_text(encoding="utf-8")
    extra = "".join(
        f'NEW-{n:02d},LEIS,New action {n},"Issue.","Action.","Outcome.","Evidence.",,'
        f"new.lead{n}@anytown.example,,,,,,\n"
        for n in range(6)
    )
    (anytown_copy / "actions.csv").write_text(rows + extra, encoding="utf-8")
    more_people, more = queries_for(anytown_copy, "more.zip")
    assert (few_people, more_people) == (4, 6)
    assert more == few


def test_only_the_uploader_sees_the_result_page_and_invites_from_it(
    team, as_user, world, anytown_dir
):
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    confirm(team, stored)
    colleague = as_user(factories.person("colleague@council.example", role=roles.PROGRAMME_TEAM))
    assert colleague.get(f"{LOAD}{stored.token}/imported/").status_code == 404
    assert colleague.post(f"{LOAD}{stored.token}/invite/").status_code == 404
    for person in (world.director, world.lead, world.board):
        client = as_user(person)
        assert client.get(f"{LOAD}{stored.token}/imported/").status_code == 403
        assert client.post(f"{LOAD}{stored.token}/invite/").status_code == 403
    assert Invitation.objects.count() == 0


def test_a_file_not_yet_imported_has_no_result_page(team, team_client, anytown_dir):
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    assert team_client.get(f"{LOAD}{stored.token}/imported/").status_code == 404
    assert team_client.post(f"{LOAD}{stored.token}/invite/").status_code == 404


def test_the_recent_imports_link_the_uploaders_own_to_their_result_page(team, anytown_dir):
    stored = uploaded(upload(team, "anytown.zip", zip_of(anytown_dir)))
    confirm(team, stored)
    page = team.get(LOAD)
    page = page.click(description="anytown.zip", href=f"{LOAD}{stored.token}/imported/")
    assert page.html.select_one("h1").text == "Framework imported from anytown.zip"


# --- Downloading -----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "zip"])
def test_the_current_framework_downloads_and_imports_back_changing_nothing(team, anytown_dir, fmt):
    run_import(anytown_dir)
    response = team.get(reverse("framework-download", args=[fmt]))
    assert response.status_code == 200
    assert f'.{fmt}"' in response["Content-Disposition"]
    plan = plan_import(read_framework_bytes(f"download.{fmt}", response.content))
    assert not plan.problems
    assert {c.kind for c in plan.changes} == {"same"}
    assert len(plan.changes) == sum(len(rows) for rows in framework_rows().values())


def test_an_unknown_download_format_is_not_found(team):
    assert team.get("/framework/load/download/pdf/", status=404)
