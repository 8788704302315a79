"""The Islington strategy as data: the counts, the figures the text gives, and a faithful export."""

from decimal import Decimal

import pytest

from actions.models import Action
from strands.models import ServiceArea, Strand
from targets.models import Outcome, Target
from tests.conftest import ISLINGTON
from tests.strands.helpers import framework_counts, run_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def islington():
    run_import(ISLINGTON)


def test_the_framework_loads_with_the_strategys_counts(islington):
    assert framework_counts() == {
        "strands": 3,
        "service_areas": 10,
        "actions": 48,
        "targets": 34,
        "outcomes": 35,
        "measurements": 0,
    }
    assert list(Strand.objects.values_list("ref", flat=True)) == ["LEAD", "EMP", "SERV"]
    assert ServiceArea.objects.filter(strand__ref="EMP").count() == 3
    assert ServiceArea.objects.filter(strand__ref="SERV").count() == 6


def test_every_action_answers_the_four_questions(islington):
    for action in Action.objects.all():
        assert all(
            [action.issue, action.planned_action, action.intended_outcome, action.evidence]
        ), action.ref


def test_the_numbers_in_the_text_are_numeric_targets_and_outcomes(islington):
    numeric = {t.ref: (t.target_value, t.unit) for t in Target.objects.filter(kind="numeric")}
    assert numeric["HOU-T01"] == (Decimal("24"), "staff")
    assert numeric["EMP-DEV-T01"] == (Decimal("25"), "pairings")
    assert numeric["EMP-DEV-T02"] == (Decimal("20"), "people")
    assert numeric["EMP-CUL-T01"] == (Decimal("100"), "%")
    into_work = Outcome.objects.get(ref="CWB-O01")
    assert (into_work.target_value, into_work.group_share) == (Decimal("1000"), Decimal("50"))
    shine = Outcome.objects.get(ref="ENV-O03")
    assert (shine.target_value, shine.benchmark_share) == (Decimal("2500"), Decimal("30"))


def test_deadlines_keep_their_words_beside_a_date(islington):
    placement_board = Target.objects.get(
        due_text__icontains="summer 2021", description__icontains="placement board"
    )
    assert placement_board.due_date.isoformat() == "2021-08-31"
    assert not Target.objects.filter(due_date__isnull=False, due_text="").exists()


def test_every_target_and_outcome_links_within_its_service_area(islington):
    for outcome in Outcome.objects.prefetch_related("targets__action"):
        for target in outcome.targets.all():
            assert target.action.service_area_id == outcome.service_area_id, outcome.ref


def test_exporting_the_loaded_framework_gives_the_data_files_back(islington, tmp_path):
    import io

    from django.core.management import call_command

    call_command("export_framework", str(tmp_path / "out"), stdout=io.StringIO())
    for path in ISLINGTON.glob("*.csv"):
        assert (tmp_path / "out" / path.name).read_bytes() == path.read_bytes(), path.name
