"""The GOV.UK form renderer, field template and date field."""

import datetime

import pytest
from django import forms
from django.template import Context, Template

from config.forms import GovukDateField, GovukFormMixin

DAY, MONTH, YEAR = "when_day", "when_month", "when_year"


class DateForm(GovukFormMixin, forms.Form):
    when = GovukDateField(label="Date met", help_text="For example, 27 3 2021")


class OptionalDateForm(forms.Form):
    when = GovukDateField(label="Date met", required=False)


def date_form(day="", month="", year="", form_class=DateForm):
    return form_class(data={DAY: day, MONTH: month, YEAR: year})


def error(form) -> list[str]:
    assert not form.is_valid()
    return form.errors["when"]


def test_a_real_date_cleans_to_a_date():
    form = date_form("31", "3", "2026")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["when"] == datetime.date(2026, 3, 31)


def test_spaces_and_leading_zeros_are_fine():
    form = date_form(" 01 ", "03", "2026")
    assert form.is_valid()
    assert form.cleaned_data["when"] == datetime.date(2026, 3, 1)


def test_nothing_entered_asks_for_a_date():
    assert error(date_form()) == ["Enter a date, for example 31 3 2026"]


def test_nothing_entered_is_fine_when_the_date_is_optional():
    form = date_form(form_class=OptionalDateForm)
    assert form.is_valid()
    assert form.cleaned_data["when"] is None


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        (("", "3", "2026"), "Enter the day"),
        (("31", "", "2026"), "Enter the month"),
        (("31", "3", ""), "Enter the year"),
        (("", "", "2026"), "Enter the day and month"),
    ],
)
def test_a_missing_part_is_named(parts, message):
    assert error(date_form(*parts)) == [message]


def test_an_impossible_date_must_be_real():
    assert error(date_form("31", "2", "2026")) == ["Date must be a real date"]
    assert error(date_form("1", "13", "2026")) == ["Date must be a real date"]


@pytest.mark.parametrize(
    "parts", [("thirty", "3", "2026"), ("31", "March", "2026"), ("1.5", "3", "2026")]
)
def test_words_and_other_non_numbers_ask_for_a_date_in_numbers(parts):
    assert error(date_form(*parts)) == ["Enter a date, for example 31 3 2026"]


def test_a_two_digit_year_asks_for_four():
    assert error(date_form("31", "3", "26")) == ["Year must include 4 numbers"]


def test_messages_can_be_replaced_per_field():
    class MetForm(forms.Form):
        when = GovukDateField(error_messages={"required": "Enter the date the milestone was met"})

    assert error(date_form(form_class=MetForm)) == ["Enter the date the milestone was met"]


def test_what_was_typed_is_kept_when_the_date_is_wrong():
    html = str(date_form("31", "2", "2026")["when"].as_field_group())
    assert 'name="when_day" value="31"' in html
    assert 'name="when_month" value="2"' in html
    assert 'name="when_year" value="2026"' in html


def test_an_initial_date_is_shown_in_its_parts():
    form = DateForm(initial={"when": datetime.date(2026, 3, 1)})
    html = str(form["when"].as_field_group())
    assert 'name="when_day" value="1"' in html and 'name="when_year" value="2026"' in html


def test_the_date_renders_as_the_govuk_date_input_with_only_the_wrong_part_marked():
    field = date_form("31", "", "2026")["when"]
    html = str(field.as_field_group())
    assert (
        '<fieldset class="govuk-fieldset" role="group" aria-describedby="id_when-hint id_when-error">'
        in html
    )
    assert '<div id="id_when-hint" class="govuk-hint">For example, 27 3 2021</div>' in html
    assert (
        'id="id_when_day" class="govuk-input govuk-date-input__input govuk-input--width-2">' in html
    )
    assert (
        'id="id_when_month" class="govuk-input govuk-date-input__input govuk-input--width-2 '
        'govuk-input--error" aria-invalid="true">'
    ) in html
    assert (
        'id="id_when_year" class="govuk-input govuk-date-input__input govuk-input--width-4">'
        in html
    )
    assert (
        '<label class="govuk-label govuk-date-input__label" for="id_when_year">Year</label>' in html
    )
    # The error summary links to the part in error.
    assert field.id_for_label == "id_when_month"


def test_an_error_from_the_form_marks_every_part_of_the_date():
    class MetForm(forms.Form):
        when = GovukDateField(required=False)

        def clean(self):
            self.add_error("when", "Enter the date the milestone was met")

    form = MetForm(data={DAY: "", MONTH: "", YEAR: ""})
    assert not form.is_valid()
    html = str(form["when"].as_field_group())
    assert html.count("govuk-input--error") == 3
    assert form["when"].id_for_label == "id_when_day"


class EverythingForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Name", help_text="As it appears in the framework")
    count = forms.IntegerField(
        label="Count",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
    )
    status = forms.ChoiceField(
        label="Status",
        choices=[("on_track", "On track"), ("at_risk", "At risk")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select a status"},
    )
    groups = forms.MultipleChoiceField(
        label="Groups", choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    area = forms.ChoiceField(label="Area", choices=[("", "Choose"), ("HOU", "Housing")])
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}))
    public = forms.BooleanField(label="Show publicly")
    version = forms.IntegerField(widget=forms.HiddenInput)


def everything(data=None):
    form = EverythingForm(data=data if data is not None else {})
    form.is_valid()
    return form


def test_a_field_with_an_error_is_described_by_its_hint_and_its_error():
    field = everything()["name"]
    html = str(field.as_field_group())
    assert '<div class="govuk-form-group govuk-form-group--error">' in html
    assert '<label class="govuk-label" for="id_name">Name</label>' in html
    assert '<div id="id_name-hint" class="govuk-hint">As it appears in the framework</div>' in html
    assert '<p id="id_name-error" class="govuk-error-message">' in html
    assert '<span class="govuk-visually-hidden">Error:</span> This field is required.' in html
    assert 'class="govuk-input govuk-input--error"' in html
    assert 'aria-describedby="id_name-hint id_name-error"' in html


def test_a_field_without_errors_has_no_error_markup():
    form = EverythingForm()
    html = str(form["name"].as_field_group())
    assert "govuk-form-group--error" not in html and "govuk-error-message" not in html
    assert 'aria-describedby="id_name-hint"' in html
    assert " required" not in html  # GovukFormMixin: no browser validation


def test_extra_widget_attributes_are_kept():
    html = str(everything()["count"].as_field_group())
    assert 'class="govuk-input govuk-input--width-3 govuk-input--error"' in html
    assert 'inputmode="numeric"' in html


def test_radios_are_govuk_radios_in_a_fieldset_and_the_first_is_linked_to():
    form = everything({"status": "at_risk"})
    field = form["status"]
    html = str(field.as_field_group())
    assert '<fieldset class="govuk-fieldset">' in html
    assert '<legend class="govuk-fieldset__legend">Status</legend>' in html
    assert html.count('class="govuk-radios__item"') == 2
    assert field.id_for_label == "id_status_0"
    assert (
        '<input class="govuk-radios__input" id="id_status_0" name="status" type="radio" value="on_track">'
        in html
    )
    assert 'id="id_status_1" name="status" type="radio" value="at_risk" checked>' in html


def test_radios_with_an_error_describe_the_fieldset():
    html = str(everything()["status"].as_field_group())
    assert '<fieldset class="govuk-fieldset" aria-describedby="id_status-error">' in html
    assert "Select a status" in html


def test_checkboxes_textarea_select_and_a_single_checkbox_use_their_components():
    form = everything()
    assert 'class="govuk-checkboxes" data-module="govuk-checkboxes"' in str(
        form["groups"].as_field_group()
    )
    assert form["groups"].id_for_label == "id_groups_0"
    assert 'class="govuk-textarea govuk-textarea--error"' in str(form["note"].as_field_group())
    assert 'class="govuk-select govuk-select--error"' in str(form["area"].as_field_group())
    single = str(form["public"].as_field_group())
    assert 'class="govuk-checkboxes__input"' in single
    assert (
        '<label class="govuk-label govuk-checkboxes__label" for="id_public">Show publicly</label>'
        in single
    )


def test_the_whole_form_renders_every_field_and_hidden_ones_bare():
    html = str(everything())
    for name in ("name", "count", "status", "groups", "area", "note", "public"):
        assert f'id="id_{name}-error"' in html
    assert '<input type="hidden" name="version"' in html
    assert 'id="id_version-error"' not in html


def render_summary(form) -> str:
    return Template('{% include "components/error_summary.html" with form=form %}').render(
        Context({"form": form})
    )


def test_the_error_summary_links_each_error_to_its_field():
    form = everything({"count": "x", "status": "", "version": ""})
    html = render_summary(form)
    assert 'data-module="govuk-error-summary"' in html
    assert '<a href="#id_name">This field is required.</a>' in html
    assert '<a href="#id_status_0">Select a status</a>' in html
    # A hidden field cannot take focus: its error is listed without a link.
    assert "<li>This field is required.</li>" in html


def test_the_error_summary_is_empty_without_errors():
    assert render_summary(EverythingForm()).strip() == ""


def test_non_field_errors_are_listed_without_a_link():
    class StaleForm(forms.Form):
        def clean(self):
            raise forms.ValidationError("Someone else saved this first")

    form = StaleForm(data={})
    form.is_valid()
    assert "<li>Someone else saved this first</li>" in render_summary(form)
    assert "Someone else saved this first" in str(form)
