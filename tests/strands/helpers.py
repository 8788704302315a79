import io

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action
from strands.models import ServiceArea, Strand
from targets.models import Measurement, Outcome, Target


def run_import(path, *args) -> str:
    out = io.StringIO()
    call_command("import_framework", str(path), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def import_errors(path, *args) -> list[str]:
    """Run an import that must fail; return the problems it reported, one per line."""
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_framework", str(path), *args, stdout=io.StringIO(), stderr=err)
    assert "Nothing was imported" in str(failure.value)
    return [line for line in err.getvalue().splitlines() if line]


def framework_counts() -> dict[str, int]:
    return {
        "strands": Strand.objects.count(),
        "service_areas": ServiceArea.objects.count(),
        "actions": Action.objects.count(),
        "targets": Target.objects.count(),
        "outcomes": Outcome.objects.count(),
        "measurements": Measurement.objects.count(),
    }


def history_count() -> int:
    return sum(
        model.history.count()
        for model in (Strand, ServiceArea, Action, Target, Outcome, Measurement)
    )


def rewrite(folder, sheet: str, old: str, new: str) -> None:
    path = folder / f"{sheet}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {sheet}.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
