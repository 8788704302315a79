"""The GOV.UK components: their markup is govuk-frontend's, and pages use them, not copies of it."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError

ROOT = settings.BASE_DIR
TEMPLATES = ROOT / "templates"
COMPONENTS = TEMPLATES / "components"
FIXTURES = ROOT / "node_modules/govuk-frontend/dist/govuk/components"

# The stocktake document, shared by the PDF and its web page, keeps its own markup: the PDF is
# tagged for PDF/UA by WeasyPrint from exactly this markup (and print.css), checked by
# tests/reporting/test_stocktake_pdf_ua.py, so it controls every tag itself. Its cross-tables
# and extra breakdowns (_more_breakdowns.html) do use the table component.
NOT_YET_COMPONENTS = {
    TEMPLATES / "reporting/stocktake/document.html",
    TEMPLATES / "reporting/stocktake/pdf.html",
}
# Where tags are drawn in Python: the components, and the status tags (colours in
# actions.models.STATUS_STYLES), builtins from the rules work.
TAG_HOMES = {
    ROOT / "config/templatetags/govuk.py",
    ROOT / "actions/templatetags/statuses.py",
    ROOT / "targets/templatetags/target_statuses.py",
}
COMPONENT_CLASSES = [
    "govuk-summary-list",
    "govuk-table",
    "govuk-notification-banner",
    "govuk-tag",
    "govuk-pagination",
]


def fixture(component: str, name: str) -> str:
    fixtures = json.loads((FIXTURES / component / "fixtures.json").read_text())["fixtures"]
    return next(item["html"] for item in fixtures if item["name"] == name)


def same_markup(html: str) -> str:
    """Markup with its layout whitespace taken out, for comparing with a fixture."""
    html = re.sub(r">\s+", ">", html.strip())
    return re.sub(r"\s+<", "<", html)


def render(source: str, **context) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def hand_written(css_class: str, paths) -> list[Path]:
    """The files among paths that write a component's classes themselves."""
    pattern = re.compile(rf"\b{css_class}(?:__|--|\b)")
    return [path for path in paths if pattern.search(path.read_text())]


def page_templates():
    return [
        path
        for path in sorted(TEMPLATES.rglob("*.html"))
        if COMPONENTS not in path.parents and path not in NOT_YET_COMPONENTS
    ]


def app_code():
    apps = ("config", "strands", "actions", "targets", "reporting")
    return [
        path for app in apps for path in sorted((ROOT / app).rglob("*.py")) if path not in TAG_HOMES
    ]


@pytest.mark.parametrize("css_class", COMPONENT_CLASSES)
def test_component_markup_is_written_only_in_the_components(css_class):
    found = hand_written(css_class, page_templates() + app_code())
    assert [str(path.relative_to(ROOT)) for path in found] == [], (
        f"Use the component instead of writing {css_class} by hand (templates/components/, "
        "config/templatetags/govuk.py)"
    )


def test_the_check_finds_hand_written_markup_and_not_the_components(tmp_path):
    planted = tmp_path / "planted.html"
    planted.write_text('<dl class="govuk-summary-list"><div class="govuk-summary-list__row">')
    tagged = tmp_path / "tagged.html"
    tagged.write_text('<strong class="govuk-tag govuk-tag--red">Late</strong>')
    using = tmp_path / "using.html"
    using.write_text(
        '{% summary_list %}{% summary_row "Owner" %}x{% endsummary_row %}{% tag "Late" "red" %}'
    )
    assert hand_written("govuk-summary-list", [planted, using]) == [planted]
    assert hand_written("govuk-tag", [tagged, using]) == [tagged]
    assert hand_written("govuk-table", [planted, tagged, using]) == []


def test_the_app_has_one_stylesheet_and_pages_link_no_other():
    assert sorted(p.relative_to(ROOT / "static") for p in (ROOT / "static").rglob("*.css")) == [
        Path("app.css")
    ]
    linking = [
        str(path.relative_to(ROOT))
        for path in TEMPLATES.rglob("*.html")
        if path.name != "base.html" and 'rel="stylesheet"' in path.read_text()
    ]
    assert linking == []


def test_a_table_of_items_is_govuk_frontends_table():
    html = render(
        '{% table months as month caption="Caption 1: Months and rates" caption_size="m" %}'
        '{% cell "Month you apply" header=True %}{{ month.0 }}{% endcell %}'
        '{% cell "Rate for bicycles" numeric=True %}{{ month.1 }}{% endcell %}'
        '{% cell "Rate for vehicles" numeric=True %}{{ month.2 }}{% endcell %}'
        "{% endtable %}",
        months=[("January", "£85", "£95"), ("February", "£75", "£55"), ("March", "£165", "£125")],
    )
    assert same_markup(html) == same_markup(fixture("table", "with head and caption"))


def test_a_table_written_row_by_row_takes_its_headings_from_the_first_row():
    html = render(
        "{% table %}"
        '{% row %}{% cell "Group" header=True %}Total{% endcell %}'
        '{% cell "Value" numeric=True %}12{% endcell %}{% endrow %}'
        "{% for n in values %}{% row %}"
        '{% cell "Group" header=True %}Group {{ forloop.counter }}{% endcell %}'
        '{% cell "Value" numeric=True %}{{ n }}{% endcell %}{% endrow %}{% endfor %}'
        "{% endtable %}",
        values=[5, 7],
    )
    assert html.count('<th scope="col"') == 2
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Value' in html
    assert html.count('<tr class="govuk-table__row">') == 4
    assert '<th scope="row" class="govuk-table__header">Group 2</th>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">7</td>' in html


def test_a_cross_tables_columns_are_headed_by_their_dimension_and_its_rows_by_theirs():
    html = render(
        '{% table caption="Ethnicity by sex" caption_size="s" %}'
        "{% for name, cells, total in rows %}{% row %}"
        '{% cell "Ethnicity" header=True %}{{ name }}{% endcell %}'
        "{% for column, value in cells %}"
        '{% cell column numeric=True group="Sex" %}{{ value }}{% endcell %}{% endfor %}'
        '{% cell "All" numeric=True %}{{ total }}{% endcell %}'
        "{% endrow %}{% endfor %}{% endtable %}",
        rows=[("Asian", [("Female", 10), ("Male", 12)], 22), ("White", [("Female", 30)], 30)],
    )
    markup = same_markup(html)
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s">Ethnicity by sex<' in markup
    )
    # The columns' groups, so that scope="colgroup" names the columns it heads.
    assert '</caption><col><colgroup span="2"></colgroup><col><thead' in markup
    assert (
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" rowspan="2" class="govuk-table__header">Ethnicity</th>'
        '<th scope="colgroup" colspan="2" class="govuk-table__header '
        'govuk-table__header--numeric">Sex</th>'
        '<th scope="col" rowspan="2" class="govuk-table__header '
        'govuk-table__header--numeric">All</th></tr>'
        '<tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Female</th>'
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Male</th>'
        "</tr></thead>"
    ) in markup
    assert (
        '<tr class="govuk-table__row"><th scope="row" class="govuk-table__header">Asian</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">10</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">12</td>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">22</td></tr>'
    ) in markup


def test_columns_of_different_groups_are_headed_apart():
    html = render(
        '{% table %}{% row %}{% cell "Area" header=True %}Finance{% endcell %}'
        '{% cell "2025" group="Spent" %}1{% endcell %}{% cell "2026" group="Spent" %}2{% endcell %}'
        '{% cell "2026" group="Planned" %}3{% endcell %}{% endrow %}{% endtable %}'
    )
    assert html.count("<colgroup") == 2 and '<colgroup span="1"></colgroup>' in html
    assert '<th scope="colgroup" colspan="2" class="govuk-table__header">Spent</th>' in html
    assert '<th scope="colgroup" colspan="1" class="govuk-table__header">Planned</th>' in html
    assert html.count('<th scope="col" class="govuk-table__header">2026</th>') == 2


def test_a_table_without_items_still_has_its_headings_and_can_say_it_is_empty():
    html = render(
        '{% table rows as row empty="No values recorded yet." %}'
        '{% cell "Year" %}{{ row.year }}{% endcell %}{% cell "Value" %}{{ row.value }}{% endcell %}'
        "{% endtable %}",
        rows=[],
    )
    assert '<th scope="col" class="govuk-table__header">Year</th>' in html
    assert '<td class="govuk-table__cell" colspan="2">No values recorded yet.</td>' in html


def test_a_table_escapes_what_it_is_given_and_keeps_the_pages_markup():
    html = render(
        "{% table people as person %}"
        '{% cell "Name" %}<strong>{{ person }}</strong>{% endcell %}'
        "{% endtable %}",
        people=["<script>"],
    )
    assert "<strong>&lt;script&gt;</strong>" in html


def test_a_scrolling_stacking_table_is_a_named_region_with_labelled_cells():
    html = render(
        '{% table items as item scroll_label="Actions in Finance" stack=True %}'
        '{% cell "Action" %}{{ item }}{% endcell %}{% cell "Owner" %}Hana{% endcell %}'
        "{% endtable %}",
        items=["A1"],
    )
    assert '<div class="app-table-scroll" role="region" aria-label="Actions in Finance"' in html
    assert '<table class="govuk-table app-stack-table" role="table">' in html
    assert '<td class="govuk-table__cell" role="cell">A1</td>' in html
    assert 'role="cell" data-label="Owner">Hana</td>' in html


def test_a_tables_rows_know_their_place():
    html = render(
        "{% table items as item %}"
        '{% cell "N" %}{% if forloop.first %}first {% endif %}{{ forloop.counter }}'
        "{% if forloop.last %} last{% endif %}{% endcell %}"
        "{% endtable %}",
        items="abc",
    )
    assert ">first 1</td>" in html and ">2</td>" in html and ">3 last</td>" in html


def test_a_cell_outside_a_table_is_a_mistake_in_the_template():
    with pytest.raises(TemplateSyntaxError, match="inside"):
        render('{% cell "Name" %}x{% endcell %}')


def test_a_summary_list_is_govuk_frontends_summary_list():
    fixture_html = fixture("summary-list", "default")
    html = render(
        "{% summary_list %}"
        '{% summary_row "Name" %}Firstname Lastname{% endsummary_row %}'
        '{% summary_row "Date of birth" %}13/08/1980{% endsummary_row %}'
        '{% summary_row "Contact information" %}<p class="govuk-body">email@email.com</p>'
        '<p class="govuk-body">Address line 1<br>Address line 2<br>Address line 3<br>'
        "Address line 4<br>Address line 5</p>{% endsummary_row %}"
        "{% endsummary_list %}"
    )
    assert same_markup(html) == same_markup(fixture_html)


def test_an_empty_summary_value_says_not_given():
    html = render(
        '{% summary_list no_border=True %}{% summary_row "Due" %} {% endsummary_row %}{% endsummary_list %}'
    )
    assert 'class="govuk-summary-list govuk-summary-list--no-border"' in html
    assert '<dd class="govuk-summary-list__value">Not given</dd>' in html


@pytest.mark.parametrize(
    ("source", "fixture_name"),
    [('{% tag "Alpha" %}', "default"), ('{% tag "Grey" "grey" %}', "grey")],
)
def test_a_tag_is_govuk_frontends_tag(source, fixture_name):
    assert same_markup(render(source)) == same_markup(fixture("tag", fixture_name))


def test_a_tag_in_a_colour_govuk_frontend_lacks_is_a_mistake_in_the_template():
    with pytest.raises(TemplateSyntaxError, match="no colour"):
        render('{% tag "Late" "scarlet" %}')


def test_a_success_banner_is_govuk_frontends():
    html = render(
        '{% include "components/notification_banner.html" with type="success" '
        'heading="Email sent to example@email.com" only %}'
    )
    assert same_markup(html) == same_markup(fixture("notification-banner", "with type as success"))


def test_a_banner_that_an_htmx_swap_brings_in_takes_focus_and_lists_what_changed():
    html = render(
        '{% include "components/notification_banner.html" with alert=True heading="Not saved" '
        'items=changes title_id="progress-stale-title" title_level=3 only %}',
        changes=["Status: On track → At risk"],
    )
    assert 'role="alert" aria-labelledby="progress-stale-title"' in html
    assert 'tabindex="-1"' in html
    assert '<h3 class="govuk-notification-banner__title" id="progress-stale-title">' in html
    assert "<li>Status: On track → At risk</li>" in html


def test_pagination_is_govuk_frontends_pagination(rf):
    page = Paginator(range(30), 10).page(2)
    request = rf.get("/framework/", {"q": "pay"})
    html = Template(
        '{% include "components/pagination.html" with page=page page_numbers=numbers '
        "query=request.GET %}"
    ).render(Context({"page": page, "numbers": [1, 2, 3], "request": request}))
    expected = fixture("pagination", "default")
    expected = expected.replace('href="/previous"', 'href="?q=pay&amp;page=1"')
    expected = expected.replace('href="/next"', 'href="?q=pay&amp;page=3"')
    expected = re.sub(r'href="/page/(\d)"', r'href="?q=pay&amp;page=\1"', expected)
    assert same_markup(html) == same_markup(expected)
