"""The GOV.UK components a page fills with its own markup: table, summary list and tag.

    {% load govuk %}

Table (govuk-frontend's table, drawn here in Python), one row per item, each cell with its
column's heading:

    {% table actions as action caption="Actions in Finance" caption_hidden=True %}
      {% cell "Action" %}<a class="govuk-link" href="…">{{ action.ref }}</a>{% endcell %}
      {% cell "% complete" numeric=True %}{{ action.progress }}%{% endcell %}
    {% endtable %}

  or rows written out, when they differ (the headings come from the first row):

    {% table caption="Values" %}
      {% row %}{% cell "Group" header=True %}Total{% endcell %}…{% endrow %}
      {% for group in groups %}{% row %}{% cell "Group" header=True %}…{% endcell %}…{% endrow %}{% endfor %}
    {% endtable %}

  A cell's options: numeric=True (right-aligned, as the heading), header=True (a row heading,
  <th scope="row">), classes="…", group="…" (a heading over its column and the neighbouring
  columns of the same group: a cross-table's second dimension over its categories, as
  targets/_cross_table.html does). The table's options: caption (or {% caption %}…{% endcaption %}
  for a caption with markup), caption_size ("s", "m", "l"), caption_hidden, classes, compact (the
  smaller text of long tables), empty (words in one row when there are no rows), scroll_label
  (the table scrolls sideways in a focusable region of that name), stack (on a phone each row
  stacks, each value labelled with its heading). A view may give the headings and rows itself:
  {% table head=head rows=rows %}{% endtable %} (head: cells with heading, numeric, group; rows:
  lists of cells with content, escaped unless already safe, numeric, header, classes).
  Inside the table, forloop.first, forloop.last, forloop.counter and forloop.counter0 describe the
  row, as in {% for %}. The cells are rendered as the page writes them and the table is drawn in
  Python, so a long table costs no include per table, row or cell.

Summary list (templates/components/summary_list.html):

    {% summary_list no_border=True %}
      {% summary_row "Owner" %}{{ owner|person }}{% endsummary_row %}
    {% endsummary_list %}

  An empty value shows as "Not given". The component also takes rows from a view:
  {% include "components/summary_list.html" with rows=rows %}.

Tag: {% tag "Late" "red" %} → <strong class="govuk-tag govuk-tag--red">Late</strong> (no colour:
the default blue). An action's or a target's status is the builtin {% status_tag %} /
{% target_status_tag %} (actions/targets templatetags, colours in actions.models.STATUS_STYLES).
Tags are drawn in Python, not by an include, because long tables draw many.
"""

from django import template
from django.template.base import TextNode, Variable, token_kwargs
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeData, mark_safe

register = template.Library()

TABLE = "_govuk_table"
SUMMARY_LIST = "_govuk_summary_list"


# --- tag -------------------------------------------------------------------------------------

# GOV.UK tag colours (govuk-frontend's tag fixtures). No colour is the default, blue.
TAG_COLOURS = {"grey", "green", "turquoise", "blue", "light-blue", "purple", "pink", "red"}
TAG_COLOURS |= {"orange", "yellow"}


@register.simple_tag
def tag(text, colour: str = ""):
    """The GOV.UK tag: the words are always shown, colour is never the only cue."""
    if colour and colour not in TAG_COLOURS:
        raise template.TemplateSyntaxError(f"A GOV.UK tag has no colour {colour!r}")
    if not colour:
        return format_html('<strong class="govuk-tag">{}</strong>', text)
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)


# --- table -----------------------------------------------------------------------------------


class _Collected:
    """What a table's or summary list's cells leave behind while the page's markup renders."""

    def __init__(self, stack: bool = False):
        self.rows: list[list[dict]] = []
        self.caption = ""
        # A table's: its headings (from its first row's cells), the row being drawn, the place
        # of the cell being drawn in it, and whether each cell is labelled with its heading.
        self.head: list[dict] = []
        self.row_count = 0
        self.cell_index = 0
        self.stack = stack

    def next_row(self):
        self.row_count += 1
        self.cell_index = 0

    def start_row(self):
        self.rows.append([])

    def add(self, cell: dict):
        if not self.rows:
            self.start_row()
        self.rows[-1].append(cell)


def _options(bits, parser, tag_name):
    options = token_kwargs(bits, parser)
    if bits:
        raise template.TemplateSyntaxError(f"{tag_name} takes only name=value options: {bits}")
    return options


def _resolve(options, context):
    return {name: value.resolve(context) for name, value in options.items()}


def _collector(context, key, tag_name, outer):
    collected = context.get(key)
    if collected is None:
        raise template.TemplateSyntaxError(f"{{% {tag_name} %}} belongs inside {{% {outer} %}}")
    return collected


@register.tag("table")
def do_table(parser, token):
    """{% table [items as name] option=value… %} cells or rows {% endtable %}"""
    bits = token.split_contents()[1:]
    items = name = None
    if len(bits) >= 3 and bits[1] == "as":
        items, name, bits = parser.compile_filter(bits[0]), bits[2], bits[3:]
    options = _options(bits, parser, "table")
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    return TableNode(items, name, options, nodelist)


class TableNode(template.Node):
    def __init__(self, items, name, options, nodelist):
        self.items, self.name, self.options = items, name, options
        self.nodelist = _without_layout(nodelist)

    def render(self, context):
        options = _resolve(self.options, context)
        stack = bool(options.get("stack"))
        table = _Collected(stack)
        with context.push({TABLE: table}):
            if self.items is None:
                body = self.nodelist.render(context)
            else:
                items = list(self.items.resolve(context) or [])
                # With no items the cells are still rendered once, for their headings.
                body = self._render_rows(items or [None], table, context, stack)
                body = body if items else ""
        head = table.head
        # A view may give the headings and rows itself: {% table head=… rows=… %}{% endtable %}.
        if "rows" in options:
            body = "\n".join(_row(cells, stack) for cells in options.pop("rows"))
        head = options.pop("head", head)
        options["caption"] = table.caption or options.get("caption", "")
        return render_table(head, body, **options)

    def _render_rows(self, items, table, context, stack: bool) -> str:
        last = len(items) - 1
        start = (
            '<tr class="govuk-table__row" role="row">' if stack else '<tr class="govuk-table__row">'
        )
        drawn = []
        with context.push():  # one level for every row, as {% for %} does
            for index, item in enumerate(items):
                context[self.name] = item
                context["forloop"] = {
                    "first": index == 0,
                    "last": index == last,
                    "counter": index + 1,
                    "counter0": index,
                }
                table.next_row()
                drawn.append(f"{start}{self.nodelist.render(context)}</tr>")
        return "\n".join(drawn)


def _without_layout(nodelist):
    """The nodelist without the whitespace that lays out its tags in the template."""
    kept = template.NodeList(
        node for node in nodelist if not (isinstance(node, TextNode) and node.s.isspace())
    )
    kept.contains_nontext = nodelist.contains_nontext
    return kept


def render_table(
    head,
    body,
    *,
    caption="",
    caption_size="",
    caption_hidden=False,
    classes="",
    compact=False,
    empty="",
    scroll_label="",
    stack=False,
):
    """The table, drawn here in Python, frame and cells, because a page has dozens of tables and
    thousands of cells: a template's per-cell work (or an include per table) would cost more than
    the page's own. The markup is govuk-frontend's (tests/config/test_components.py compares it
    with its fixtures)."""
    if not body and empty:
        body = format_html(
            '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">{}</td></tr>',
            len(head),
            empty,
        )
    table_classes = "govuk-table"
    table_classes += " app-table--compact" if compact else ""
    table_classes += " app-stack-table" if stack else ""
    table_classes += f" {conditional_escape(classes)}" if classes else ""
    table_role = ' role="table"' if stack else ""
    rowgroup = ' role="rowgroup"' if stack else ""
    drawn = [f'<table class="{table_classes}"{table_role}>']
    if caption:
        caption_classes = "govuk-table__caption"
        caption_classes += f" govuk-table__caption--{escape(caption_size)}" if caption_size else ""
        caption_classes += " govuk-visually-hidden" if caption_hidden else ""
        drawn.append(f'<caption class="{caption_classes}">{conditional_escape(caption)}</caption>')
    drawn.append(_head(head, stack))
    drawn.append(f'<tbody class="govuk-table__body"{rowgroup}>\n{body}\n</tbody>\n</table>')
    if scroll_label:
        region = "app-table-scroll app-table-scroll--compact" if compact else "app-table-scroll"
        drawn.insert(
            0,
            f'<div class="{region}" role="region" aria-label="{conditional_escape(scroll_label)}"'
            ' tabindex="0">',
        )
        drawn.append("</div>")
    return mark_safe("\n".join(drawn))


def _head(head, stack: bool) -> str:
    """The column groups, if any, and <thead>. Without groups: one row of headings. Columns next
    to each other with the same group (a cross-table's second dimension) are headed twice: the
    group's heading spans them (<th scope="colgroup">, with a <colgroup> to say which columns),
    each column's own heading goes in a second row, and the others span both rows."""
    groups: list[tuple[str, list[dict]]] = []
    for cell in head:
        name = cell.get("group") or ""
        if name and groups and groups[-1][0] == name:
            groups[-1][1].append(cell)
        else:
            groups.append((name, [cell]))
    role = ' role="row"' if stack else ""
    if len(groups) == len(head) and not any(name for name, _ in groups):
        rows = [[_heading(cell, stack) for cell in head]]
        columns = ""
    else:
        top, below, columns = [], [], ""
        for name, cells in groups:
            if name:
                columns += f'<colgroup span="{len(cells)}"></colgroup>'
                numeric = all(cell.get("numeric") for cell in cells)
                top.append(_heading({"heading": name, "numeric": numeric}, stack, len(cells)))
                below += [_heading(cell, stack) for cell in cells]
            else:
                columns += "<col>" * len(cells)
                top += [_heading(cell, stack, rowspan=2) for cell in cells]
        rows = [top, below]
    drawn = "".join(f'<tr class="govuk-table__row"{role}>' + "".join(r) + "</tr>" for r in rows)
    rowgroup = ' role="rowgroup"' if stack else ""
    return f'{columns}<thead class="govuk-table__head"{rowgroup}>{drawn}</thead>'


def _heading(cell, stack: bool, colspan: int = 0, rowspan: int = 0) -> str:
    scope = ' scope="colgroup"' if colspan else ' scope="col"'
    spans = f' colspan="{colspan}"' if colspan else ""
    spans += f' rowspan="{rowspan}"' if rowspan else ""
    numeric = " govuk-table__header--numeric" if cell.get("numeric") else ""
    role = ' role="columnheader"' if stack else ""
    heading = conditional_escape(cell.get("heading", ""))
    return f'<th{scope}{spans} class="govuk-table__header{numeric}"{role}>{heading}</th>'


def _row(cells, stack: bool) -> str:
    """<tr> with its cells, as govuk-frontend's table fixtures write them."""
    drawn = []
    for index, cell in enumerate(cells):
        content = cell.get("content", "")
        if not isinstance(content, SafeData):
            content = escape(content)
        start, end = cell.get("tags") or _cell_tags(cell)
        if stack and not cell.get("header"):
            label = f' data-label="{escape(cell.get("heading", ""))}"' if index else ""
            start = start[:-1] + f' role="cell"{label}>'
        drawn.append(f"{start}{content}{end}")
    role = ' role="row"' if stack else ""
    return f'<tr class="govuk-table__row"{role}>' + "".join(drawn) + "</tr>"


def _cell_tags(cell) -> tuple[str, str]:
    """A cell's opening and closing tags: a row heading, or a cell, numeric or not."""
    extra = f" {escape(cell['classes'])}" if cell.get("classes") else ""
    if cell.get("header"):
        return f'<th scope="row" class="govuk-table__header{extra}">', "</th>"
    numeric = " govuk-table__cell--numeric" if cell.get("numeric") else ""
    return f'<td class="govuk-table__cell{numeric}{extra}">', "</td>"


@register.tag("row")
def do_row(parser, token):
    """{% row %} cells {% endrow %}: one row of a {% table %} without items."""
    nodelist = parser.parse(("endrow",))
    parser.delete_first_token()
    return RowNode(nodelist)


class RowNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = _without_layout(nodelist)

    def render(self, context):
        table = _collector(context, TABLE, "row", "table")
        table.next_row()
        role = ' role="row"' if table.stack else ""
        return f'<tr class="govuk-table__row"{role}>{self.nodelist.render(context)}</tr>'


@register.tag("cell")
def do_cell(parser, token):
    """{% cell "Heading" [numeric=True] [header=True] [classes="…"] %} markup {% endcell %}"""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% cell %} needs its column's heading")
    heading = parser.compile_filter(bits.pop(0))
    options = _options(bits, parser, "cell")
    nodelist = parser.parse(("endcell",))
    parser.delete_first_token()
    return CellNode(heading, options, nodelist)


# What a cell's <td> or <th> depends on.
_DRAWN = {"header", "numeric", "classes"}


class CellNode(template.Node):
    def __init__(self, heading, options, nodelist):
        self.nodelist = nodelist
        # Literal options ("Action", numeric=True) are worked out once, not for every row.
        options = {"heading": heading, **options}
        self.fixed = {}
        for name, value in options.items():
            constant = _constant(value)
            if constant is not _VARIES:
                self.fixed[name] = constant
        self.varying = {name: value for name, value in options.items() if name not in self.fixed}

        # Its <td> or <th>, when what decides it is literal: drawn once, not for every row.
        if not self.varying.keys() & _DRAWN:
            self.fixed["tags"] = _cell_tags(self.fixed)

    def render(self, context):
        table = context.get(TABLE)
        if table is None:
            _collector(context, TABLE, "cell", "table")
        table.cell_index += 1
        labelled = table.row_count == 1 or table.stack
        if not self.varying:
            cell = self.fixed
        elif labelled:
            cell = {**self.fixed, **_resolve(self.varying, context)}
        else:  # its heading is needed once, from the first row
            cell = {**self.fixed}
            cell.update((k, v.resolve(context)) for k, v in self.varying.items() if k in _DRAWN)
        if table.row_count == 1:
            table.head.append(cell)
        start, end = cell.get("tags") or _cell_tags(cell)
        if table.stack and not cell.get("header"):
            label = (
                f' data-label="{escape(cell.get("heading", ""))}"' if table.cell_index > 1 else ""
            )
            start = start[:-1] + f' role="cell"{label}>'
        # The nodes rendered here rather than by NodeList.render: hundreds of cells a page.
        content = "".join([node.render_annotated(context) for node in self.nodelist]).strip()
        return f"{start}{content}{end}"


_VARIES = object()
# Django reads True, False and None as variables, found at the bottom of every context.
_WORDS = {("True",): True, ("False",): False, ("None",): None}


def _constant(expression):
    """The value of a quoted string, a number, True, False or None without filters: the same in
    every context. _VARIES for anything else."""
    var = expression.var
    if expression.filters:
        return _VARIES
    if not isinstance(var, Variable) or var.lookups is None:
        return expression.resolve({})
    return _WORDS.get(var.lookups, _VARIES)


@register.tag("caption")
def do_caption(parser, token):
    """{% caption %} markup {% endcaption %}: a table's caption with markup in it (a tag)."""
    nodelist = parser.parse(("endcaption",))
    parser.delete_first_token()
    return CaptionNode(nodelist)


class CaptionNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        table = _collector(context, TABLE, "caption", "table")
        if not table.caption:
            table.caption = mark_safe(self.nodelist.render(context).strip())
        return ""


# --- summary list ----------------------------------------------------------------------------


@register.tag("summary_list")
def do_summary_list(parser, token):
    """{% summary_list [no_border=True] [classes="…"] %} summary rows {% endsummary_list %}"""
    options = _options(token.split_contents()[1:], parser, "summary_list")
    nodelist = parser.parse(("endsummary_list",))
    parser.delete_first_token()
    return SummaryListNode(options, nodelist)


class SummaryListNode(template.Node):
    def __init__(self, options, nodelist):
        self.options, self.nodelist = options, nodelist

    def render(self, context):
        options = _resolve(self.options, context)
        collected = _Collected()
        with context.push({SUMMARY_LIST: collected}):
            self.nodelist.render(context)
        rows = (
            [(cell["key"], cell["content"]) for cell in collected.rows[0]] if collected.rows else []
        )
        component = context.template.engine.get_template("components/summary_list.html")
        return component.render(context.new({**options, "rows": rows}))


@register.tag("summary_row")
def do_summary_row(parser, token):
    """{% summary_row "Key" %} value markup {% endsummary_row %}"""
    bits = token.split_contents()[1:]
    if len(bits) != 1:
        raise template.TemplateSyntaxError("{% summary_row %} takes the row's key")
    key = parser.compile_filter(bits[0])
    nodelist = parser.parse(("endsummary_row",))
    parser.delete_first_token()
    return SummaryRowNode(key, nodelist)


class SummaryRowNode(template.Node):
    def __init__(self, key, nodelist):
        self.key, self.nodelist = key, nodelist

    def render(self, context):
        collected = _collector(context, SUMMARY_LIST, "summary_row", "summary_list")
        html = mark_safe(self.nodelist.render(context).strip())
        collected.add({"key": self.key.resolve(context), "content": html})
        return ""
