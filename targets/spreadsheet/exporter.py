"""Writing the whole framework out in the spreadsheet format: an .xlsx workbook or a folder of CSVs."""

import io
import zipfile
from pathlib import Path

from django.db.models import Prefetch

from actions.models import Action
from config import tables
from config.tables import Sheet
from strands.models import ServiceArea, Strand
from targets.models import Measurement, Outcome, Target
from targets.spreadsheet.cells import write_date, write_decimal, write_list, write_yes_no
from targets.spreadsheet.schema import SHEET_NAMES, column_names


def _email(user) -> str:
    return user.email if user else ""


def strand_row(strand) -> dict[str, str]:
    return {"ref": strand.ref, "name": strand.name, "description": strand.description}


def service_area_row(area) -> dict[str, str]:
    return {
        "ref": area.ref,
        "strand": area.strand.ref,
        "name": area.name,
        "director_email": _email(area.director),
        "description": area.description,
    }


def action_row(action) -> dict[str, str]:
    return {
        "ref": action.ref,
        "service_area": action.service_area.ref,
        "title": action.title,
        "issue": action.issue,
        "action": action.planned_action,
        "outcome": action.intended_outcome,
        "evidence": action.evidence,
        "owner_email": _email(action.owner),
        "lead_email": _email(action.lead_officer),
        "characteristics": write_list(c.code for c in action.characteristics.all()),
        "start": write_date(action.start_date),
        "due": write_date(action.due_date),
        "status": action.status,
        "progress": str(action.progress),
        "public": write_yes_no(action.is_public),
    }


def target_row(target) -> dict[str, str]:
    return {
        "ref": target.ref,
        "action": target.action.ref,
        "description": target.description,
        "due": write_date(target.due_date),
        "due_text": target.due_text,
        "kind": target.kind,
        "baseline": write_decimal(target.baseline),
        "target": write_decimal(target.target_value),
        "unit": target.unit,
        "status": target.status,
    }


def outcome_row(outcome) -> dict[str, str]:
    return {
        "ref": outcome.ref,
        "service_area": outcome.service_area.ref,
        "description": outcome.description,
        "indicator": outcome.indicator,
        "unit": outcome.unit,
        "direction": outcome.direction,
        "baseline": write_decimal(outcome.baseline),
        "target": write_decimal(outcome.target_value),
        "target_date": write_date(outcome.target_date),
        "dimension": outcome.dimension,
        "group": outcome.group,
        "group_share": write_decimal(outcome.group_share),
        "benchmark_share": write_decimal(outcome.benchmark_share),
        "share_comparison": outcome.share_comparison,
        "share_tolerance": write_decimal(outcome.share_tolerance),
        "targets": write_list(t.ref for t in outcome.targets.all()),
    }


def measurement_row(measurement) -> dict[str, str]:
    return {
        "indicator": measurement.indicator_ref,
        "period_end": write_date(measurement.period_end),
        "value": write_decimal(measurement.value),
        "dimension": measurement.dimension,
        "list": measurement.category.category_list.name if measurement.category else "",
        "group": measurement.group,
        "dimension_2": measurement.dimension_2,
        "list_2": measurement.category_2.category_list.name if measurement.category_2 else "",
        "group_2": measurement.group_2,
        "source": measurement.source,
        "note": measurement.note,
    }


def measurement_key(
    indicator: str,
    period_end: str,
    dimension: str,
    group: str,
    dimension_2: str = "",
    group_2: str = "",
) -> str:
    """How a measurement is named in reports: it has no ref of its own."""
    parts = [indicator, period_end]
    if dimension or group:
        parts.append(f"{dimension}: {group}" if dimension else group)
    else:
        parts.append("total")
    if dimension_2:
        parts.append(f"× {dimension_2}: {group_2 or 'all'}")
    return " ".join(parts)


def framework_querysets() -> dict:
    """Each sheet's items, in file order, with what their rows need fetched up front."""
    ordered = ("position", "id")
    return {
        "strands": Strand.objects.order_by(*ordered),
        "service_areas": ServiceArea.objects.select_related("strand", "director").order_by(
            *ordered
        ),
        "actions": Action.objects.select_related("service_area", "owner", "lead_officer")
        .prefetch_related("characteristics")
        .order_by(*ordered),
        "targets": Target.objects.select_related("action").order_by(*ordered),
        "outcomes": Outcome.objects.select_related("service_area")
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by(*ordered)))
        .order_by(*ordered),
        "measurements": Measurement.objects.select_related(
            "outcome", "target", "category__category_list", "category_2__category_list"
        ).order_by(*ordered),
    }


ROW_WRITERS = {
    "strands": strand_row,
    "service_areas": service_area_row,
    "actions": action_row,
    "targets": target_row,
    "outcomes": outcome_row,
    "measurements": measurement_row,
}


def framework_rows() -> dict[str, list[dict[str, str]]]:
    querysets = framework_querysets()
    return {sheet: [ROW_WRITERS[sheet](item) for item in querysets[sheet]] for sheet in SHEET_NAMES}


def _sheet(sheet: str, rows: list[dict[str, str]]) -> Sheet:
    columns = column_names(sheet)
    return Sheet(sheet, columns, [[row.get(c, "") for c in columns] for row in rows])


def csv_bytes(sheet: str, rows: list[dict[str, str]]) -> bytes:
    # One line a row ending "\n", as the framework's files are kept in git (data/islington).
    return tables.csv_bytes(_sheet(sheet, rows), line_end="\n")


def workbook_bytes(all_rows: dict[str, list[dict[str, str]]]) -> bytes:
    """Every sheet in one workbook; every cell is text, as the format says."""
    return tables.xlsx_bytes(_sheet(sheet, all_rows[sheet]) for sheet in SHEET_NAMES)


def zip_bytes(all_rows: dict[str, list[dict[str, str]]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for sheet in SHEET_NAMES:
            info = zipfile.ZipInfo(f"{sheet}.csv", date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, csv_bytes(sheet, all_rows[sheet]))
    return buffer.getvalue()


def export_framework(path: str | Path) -> Path:
    """Write the framework to PATH: a workbook if it ends .xlsx, a zip if .zip, else a folder of CSVs."""
    path = Path(path)
    all_rows = framework_rows()
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        path.write_bytes(workbook_bytes(all_rows))
    elif suffix == ".zip":
        path.write_bytes(zip_bytes(all_rows))
    else:
        path.mkdir(parents=True, exist_ok=True)
        for sheet in SHEET_NAMES:
            (path / f"{sheet}.csv").write_bytes(csv_bytes(sheet, all_rows[sheet]))
    return path
