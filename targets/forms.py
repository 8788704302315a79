"""Target progress, measurements and the framework upload. Messages are in the GOV.UK voice."""

from decimal import Decimal
from pathlib import Path

from django import forms
from django.conf import settings
from django.forms.utils import ErrorDict

from actions.forms import NUMBER_ATTRS, VersionedForm
from config.forms import GovukDateField, GovukFormMixin
from targets.categories import Catalogue
from targets.models import CategoryList, Target
from targets.services import REASON_MAX, Breakdown


class TargetProgressForm(VersionedForm):
    status = forms.ChoiceField(
        label="Progress",
        choices=Target.Status.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the target's progress"},
    )
    met_on = GovukDateField(label="Date met", help_text="For example, 27 3 2021", required=False)
    current_value = forms.DecimalField(
        label="Latest value",
        required=False,
        max_digits=18,
        decimal_places=4,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
        error_messages={
            "invalid": "Enter the latest value as a number, for example 12 or 12.5",
            "max_digits": "Enter a smaller number",
            "max_decimal_places": "Enter a number with no more than 4 decimal places",
        },
    )

    def __init__(self, *args, target, **kwargs):
        super().__init__(*args, **kwargs)
        self.target = target
        if target.is_numeric:
            unit = f" ({target.unit})" if target.unit else ""
            self.fields["current_value"].label = f"Latest value{unit}"
            self.fields[
                "current_value"
            ].help_text = f"The target is {target.target_value.normalize():f}{unit}"
        else:
            del self.fields["current_value"]

    def clean(self):
        data = super().clean()
        if (
            data.get("status") == Target.Status.MET
            and not self.target.is_numeric
            and not data.get("met_on")
        ):
            if "met_on" not in self.errors:
                self.add_error("met_on", "Enter the date the milestone was met")
        value = data.get("current_value")
        if value is not None and value < 0:
            self.add_error("current_value", "The latest value must be 0 or more")
        return data


def _value_field(label: str, words: str) -> forms.DecimalField:
    """An optional value for a category (blank: not given)."""
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=18,
        decimal_places=4,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
        error_messages={
            "invalid": f"Enter the value for {words} as a number, for example 12 or 12.5",
            "min_value": f"The value for {words} must be 0 or more",
            "max_digits": f"Enter a smaller number for {words}",
            "max_decimal_places": f"Enter the value for {words} with no more than 4 decimal places",
        },
    )


class MeasurementForm(GovukFormMixin, forms.Form):
    """A value for a period and, optionally, its breakdown by the categories of a list, or by two
    lists crossed (ethnicity × sex). Every category of the chosen list is a row; a blank row is
    not given. Choosing a list is a submit ("Show the categories"), so it works without
    JavaScript; the rows shown are named in ``shown``, so values are never read for categories
    the person did not see."""

    SHOW = "show"

    period_end = GovukDateField(label="End of the period", help_text="For example, 30 6 2021")
    value = forms.DecimalField(
        label="Total",
        min_value=0,
        max_digits=18,
        decimal_places=4,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
        error_messages={
            "required": "Enter the total",
            "invalid": "Enter the total as a number, for example 120 or 12.5",
            "min_value": "The total must be 0 or more",
            "max_digits": "Enter a smaller number",
            "max_decimal_places": "Enter a number with no more than 4 decimal places",
        },
    )
    breakdown = forms.ChoiceField(
        label="Break the total down by",
        required=False,
        help_text="Choose a list, then select “Show the categories”",
    )
    crossed_with = forms.ChoiceField(
        label="And at the same time by (optional)",
        required=False,
        help_text="For a cross-table, for example ethnicity and sex",
    )
    shown = forms.CharField(widget=forms.HiddenInput, required=False)
    source = forms.CharField(label="Source", required=False, max_length=255)
    note = forms.CharField(
        label="Note", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, catalogue: Catalogue, chosen: CategoryList | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        lists = catalogue.lists()
        choices = [(str(cl.pk), f"{cl.dimension.name}: {cl.name}") for cl in lists]
        breakdown, crossed_with = self.fields["breakdown"], self.fields["crossed_with"]
        assert isinstance(breakdown, forms.ChoiceField)  # both declared above
        assert isinstance(crossed_with, forms.ChoiceField)
        breakdown.choices = [("", "No breakdown: the total only"), *choices]
        crossed_with.choices = [("", "Not crossed"), *choices]
        if chosen is not None and not self.is_bound:
            self.initial.setdefault("breakdown", str(chosen.pk))
        self.rows_list, self.columns_list = self._lists_to_show()
        self.initial["shown"] = self.shown_key
        if self.showing_only:
            # Re-shown for the list now chosen: the values are for its categories from now on.
            assert isinstance(self.data, dict)  # request.POST, a QueryDict: its copy is mutable
            self.data = self.data.copy()
            self.data[self.add_prefix("shown")] = self.shown_key
        self.category_rows: list = []
        self.not_given_rows: list = []
        self.cross_rows: list = []  # (category, [(column's name, cell's field)], total's field)
        self.column_totals: list = []
        if self.rows_list is None:
            return
        words = self.rows_list.dimension.name.lower()
        for category in self.rows_list.categories.all():
            self.fields[f"c_{category.pk}"] = _value_field(category.name, category.name)
        if self.columns_list is None:
            listed = self.rows_list.categories.all()
            self.category_rows = [self[f"c_{c.pk}"] for c in listed if c.is_group]
            self.not_given_rows = [self[f"c_{c.pk}"] for c in listed if not c.is_group]
            return
        for column in self.columns_list.categories.all():
            self.fields[f"k_{column.pk}"] = _value_field(
                f"All {words}, {column.name}", f"all {words}, {column.name}"
            )
        for category in self.rows_list.categories.all():
            cells = []
            for column in self.columns_list.categories.all():
                name = f"x_{category.pk}_{column.pk}"
                label = f"{category.name}, {column.name}"
                self.fields[name] = _value_field(label, label)
                cells.append((column.name, self[name]))
            self.fields[f"c_{category.pk}"].label = f"{category.name}, all"
            self.cross_rows.append((category, cells, self[f"c_{category.pk}"]))
        self.column_totals = [self[f"k_{c.pk}"] for c in self.columns_list.categories.all()]

    def _chosen(self, name):
        if self.is_bound:
            pk = self.data.get(self.add_prefix(name), "")
        else:
            pk = self.initial.get(name, "")
        return self.catalogue.list_by_id(pk) if pk else None

    def _lists_to_show(self):
        rows, columns = self._chosen("breakdown"), self._chosen("crossed_with")
        if rows is None or (columns is not None and columns.dimension_id == rows.dimension_id):
            columns = None
        return rows, columns

    @property
    def shown_key(self) -> str:
        if self.rows_list is None:
            return ""
        if self.columns_list is None:
            return str(self.rows_list.pk)
        return f"{self.rows_list.pk}x{self.columns_list.pk}"

    @property
    def is_cross(self) -> bool:
        return self.columns_list is not None

    @property
    def showing_only(self) -> bool:
        """The person asked to see the categories of the list they chose, not to save."""
        return self.is_bound and self.add_prefix(self.SHOW) in self.data

    def full_clean(self):
        if self.showing_only:  # nothing is checked, nor saved: the rows are shown to be filled in
            self._errors = ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()

    def clean(self):
        data = super().clean()
        rows, columns = self._chosen("breakdown"), self._chosen("crossed_with")
        if columns is not None and rows is None:
            self.add_error("breakdown", "Select what to break the total down by first")
        elif columns is not None and columns.dimension_id == rows.dimension_id:
            self.add_error(
                "crossed_with",
                f"Choose a list of another dimension than {rows.dimension.name.lower()} to "
                "cross it with",
            )
        elif (data.get("shown") or "") != self.shown_key:
            self.add_error(
                "breakdown",
                "Enter the values for the categories now shown, then save",
            )
        data["breakdowns"] = [] if self.errors else self._breakdowns(data)
        if data["breakdowns"] and data.get("value") is not None:
            chosen = data["breakdowns"][0]
            added = sum(chosen.values.values(), Decimal(0))
            if added > data["value"]:
                self.add_error(
                    "value",
                    f"The groups add up to {added.normalize():f}, more than the total of "
                    f"{data['value'].normalize():f}",
                )
        return data

    def _breakdowns(self, data) -> list[Breakdown]:
        if self.rows_list is None:
            return []
        categories = list(self.rows_list.categories.all())
        values = {c.pk: data[f"c_{c.pk}"] for c in categories if data.get(f"c_{c.pk}") is not None}
        if self.columns_list is None:
            return [Breakdown(category_list=self.rows_list, values=values)] if values else []
        columns = list(self.columns_list.categories.all())
        cells = {
            (r.pk, c.pk): data[f"x_{r.pk}_{c.pk}"]
            for r in categories
            for c in columns
            if data.get(f"x_{r.pk}_{c.pk}") is not None
        }
        values_2 = {c.pk: data[f"k_{c.pk}"] for c in columns if data.get(f"k_{c.pk}") is not None}
        # A row's or a column's total left blank is the sum of its cells, when all are given.
        for r in categories:
            row = [cells[(r.pk, c.pk)] for c in columns if (r.pk, c.pk) in cells]
            if r.pk not in values and len(row) == len(columns):
                values[r.pk] = sum(row, Decimal(0))
        for c in columns:
            column = [cells[(r.pk, c.pk)] for r in categories if (r.pk, c.pk) in cells]
            if c.pk not in values_2 and len(column) == len(categories):
                values_2[c.pk] = sum(column, Decimal(0))
        if not (values or cells or values_2):
            return []
        return [
            Breakdown(
                category_list=self.rows_list,
                values=values,
                crossed_with=self.columns_list,
                cells=cells,
                values_2=values_2,
            )
        ]


class CorrectionForm(GovukFormMixin, forms.Form):
    value = forms.DecimalField(
        label="Corrected value",
        max_digits=18,
        decimal_places=4,
        widget=forms.TextInput(attrs=NUMBER_ATTRS),
        error_messages={
            "required": "Enter the corrected value",
            "invalid": "Enter the corrected value as a number, for example 12 or 12.5",
            "max_digits": "Enter a smaller number",
            "max_decimal_places": "Enter a number with no more than 4 decimal places",
        },
    )
    reason = forms.CharField(
        label="Why are you correcting it?",
        help_text="Kept in the value's history, for example “Typed 31 for 13”",
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Enter why the value is being corrected",
            "max_length": f"The reason must be {REASON_MAX} characters or fewer",
        },
    )


ALLOWED_SUFFIXES = (".xlsx", ".zip")


class FrameworkUploadForm(GovukFormMixin, forms.Form):
    file = forms.FileField(
        label="Upload a framework file",
        help_text="An Excel workbook (.xlsx) or a zip of CSV files (.zip) in the framework format",
        error_messages={
            "required": "Select a framework file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read. Upload it again",
            "missing": "Select a framework file",
        },
        widget=forms.FileInput(attrs={"accept": ".xlsx,.zip"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if Path(name).suffix.lower() not in ALLOWED_SUFFIXES:
            raise forms.ValidationError(
                "The selected file must be an Excel workbook (.xlsx) or a zip of CSV files (.zip)"
            )
        limit = settings.FRAMEWORK_IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The selected file must be smaller than {limit / (1024 * 1024):.0f} MB"
            )
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty")
        return upload


class ImportConfirmForm(GovukFormMixin, forms.Form):
    report_digest = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": "Read the report again, then confirm the import"},
    )
    reason = forms.CharField(
        label="Why are you importing this file?",
        help_text="Kept in the history of every item the import changes, for example "
        "“Framework refreshed after the 2022 stocktake”",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter why you are importing this file",
            "max_length": "The reason must be 500 characters or fewer",
        },
    )
