"""The framework spreadsheet: one format, read and written as an .xlsx workbook or a folder of CSVs.

``read_framework`` turns a file into sheets of text cells, ``plan_import`` checks every cell and
works out what would change, ``apply_plan`` writes it in one transaction, ``export_framework``
writes the whole framework back out. The format is described in SPEC.md and docs/framework-format.md.
"""

from targets.spreadsheet.errors import FrameworkFileError, Problem
from targets.spreadsheet.exporter import export_framework
from targets.spreadsheet.importer import ImportPlan, apply_plan, import_framework, plan_import
from targets.spreadsheet.reader import read_framework

__all__ = [
    "FrameworkFileError",
    "ImportPlan",
    "Problem",
    "apply_plan",
    "export_framework",
    "import_framework",
    "plan_import",
    "read_framework",
]
