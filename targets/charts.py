"""Charts drawn on the server as SVG, the same on a page and in the stocktake PDF.

Each function returns a `Chart`: the SVG markup (fixed size with a viewBox, no script, no
external files, `role="img"` with a `<title>` and `<desc>` inside), its title and description in
words, and a `table` of its numbers to show beside it. Put them in a template like this:

    <figure class="app-chart" aria-labelledby="…">
      {{ chart.svg }}
      <table>…{{ chart.table.headers }} / {{ chart.table.rows }}…</table>
    </figure>

pygal draws the charts. Its interactive parts are switched off (no JavaScript, no tooltips), its
random element id and dated comment are replaced so the same data always gives the same bytes
(the stocktake must be reproducible), and colours are never the only cue: every bar and point
carries its number in words, statuses appear in a fixed order that the legend and the table
follow, and shares are set against the share they should have in labelled bars.

Rendering costs a few milliseconds per chart, so finished charts are kept in a small
per-process cache keyed by their data: the same numbers give the same chart, and any change in
the numbers is a different key.
"""

import datetime
import hashlib
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from xml.etree import ElementTree

import pygal
from django.utils.safestring import SafeString, mark_safe
from pygal.style import Style

from actions.models import STATUS_STYLES, Status
from targets import shares as share_rule

# pygal draws with lxml whenever it is installed (pikepdf brings it); the filters below work on
# xml.etree's elements, and the same data must give the same bytes wherever it is drawn.
pygal.etree.etree.to_etree()

SVG_NS = "http://www.w3.org/2000/svg"
WIDTH = 640
VALUE_FONT = 13
LABEL_CHARS = 30  # longer names are wrapped onto more lines on the chart
LABEL_LINE = 15  # px between the lines of a wrapped label
FONT = "Arial, Helvetica, sans-serif"
TEXT = "#0b0c0c"  # GOV.UK text colour
SECONDARY = "#484949"

VALUE_COLOUR = "#1d70b8"  # blue: a measured value, a group's share (what it should be: hatched)
TARGET_COLOUR = TEXT


@dataclass(frozen=True)
class ChartTable:
    """The chart's numbers, as text ready to show: one header per column, one list per row."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # which columns hold numbers (right-aligned in a GOV.UK table)

    @property
    def columns(self) -> list[tuple[str, bool]]:
        """(header, is numeric) for each column, for a template."""
        return list(zip(self.headers, self.numeric, strict=True))

    @property
    def cells(self) -> list[list[tuple[str, bool]]]:
        """Each row as (text, is numeric) pairs, for a template."""
        return [list(zip(row, self.numeric, strict=True)) for row in self.rows]

    @property
    def head(self) -> list[dict]:
        """The headings, for the table component ({% table head=… %}, config/templatetags/govuk.py)."""
        return [{"heading": header, "numeric": numeric} for header, numeric in self.columns]

    @property
    def body(self) -> list[list[dict]]:
        """The rows for the table component ({% table rows=… %}): the first cell of each heads its row; an
        empty cell shows as a dash."""
        return [
            [
                {"content": text, "header": True}
                if index == 0
                else {"content": text or "–", "numeric": numeric}
                for index, (text, numeric) in enumerate(row)
            ]
            for row in self.cells
        ]


@dataclass(frozen=True)
class Chart:
    svg: SafeString
    title: str
    description: str
    table: ChartTable
    id: str  # the SVG's id: unique for different data; its <title> and <desc> ids derive from it

    def __html__(self) -> str:
        return self.svg


# --- the three charts -----------------------------------------------------------------------


def status_by_area_chart(rows: Iterable[tuple[str, dict[str, int]]]) -> Chart:
    """Actions by status in each service area: one stacked bar per area.

    rows: (area name, {status code: count}) in the order to show them.
    """
    frozen = tuple(
        (name, tuple(sorted((k, int(v)) for k, v in counts.items()))) for name, counts in rows
    )
    return _status_by_area(frozen)


def outcome_trend_chart(
    title: str,
    points: Iterable[tuple[datetime.date, Decimal | float | int]],
    target: Decimal | float | int | None = None,
    unit: str = "count",
) -> Chart:
    """An indicator's value over time, oldest first, with its target as a dashed line.

    points: (period end, value) in any order; unit: "count" or "percent".
    """
    frozen = tuple(sorted((d, _number(v)) for d, v in points))
    return _outcome_trend(title, frozen, None if target is None else _number(target), unit)


def group_shares_chart(
    title: str,
    shares: Iterable[tuple[str, Decimal | float | None, Decimal | float | None]],
    *,
    comparison: str = share_rule.AT_LEAST,
    tolerance: Decimal | float | None = None,
) -> Chart:
    """Each group's share of a total beside the share it should have (equity share or benchmark).

    shares: (group name, share %, expected % or None), in the order to show them; comparison
    and tolerance: how the outcome reads a share against it (targets.shares.judge).
    """
    frozen = tuple(
        (name, None if share is None else _number(share), None if exp is None else _number(exp))
        for name, share, exp in shares
    )
    rule = (comparison or share_rule.AT_LEAST, None if tolerance is None else _number(tolerance))
    return _group_shares(title, frozen, rule)


def clear_cache() -> None:
    """Forget every chart drawn so far (for benchmarks that time the drawing itself)."""
    for cached in (_status_by_area, _outcome_trend, _group_shares):
        cached.cache_clear()


# --- rendering (cached by the data) ---------------------------------------------------------


@lru_cache(maxsize=256)
def _status_by_area(rows: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]) -> Chart:
    counts = [(name, dict(pairs)) for name, pairs in rows]
    statuses = [s for s in Status if any(c.get(s.value, 0) for _, c in counts)]
    title = "Actions by status in each service area"
    headers = ("Service area", *(s.label for s in Status), "Total")
    table_rows = tuple(
        (name, *(str(c.get(s.value, 0)) for s in Status), str(sum(c.values())))
        for name, c in counts
    )
    totals = {s: sum(c.get(s.value, 0) for _, c in counts) for s in Status}
    table_rows += (("All areas", *(str(totals[s]) for s in Status), str(sum(totals.values()))),)
    table = ChartTable(headers, table_rows, (False,) + (True,) * (len(headers) - 1))
    in_words = ", ".join(f"{totals[s]} {s.label.lower()}" for s in statuses) or "no actions"
    description = (
        f"Stacked bar chart with one bar for each of {len(counts)} service areas, "
        f"split into how many of its actions have each status, in the order "
        f"{', '.join(s.label.lower() for s in statuses) or 'of the statuses'}. "
        f"Across all areas: {in_words}. The table beside the chart gives every number."
    )
    if not counts:
        return _empty(title, description, table, "No service areas to show.")

    widest = max((sum(c.values()) for _, c in counts), default=0) or 1
    chart = pygal.HorizontalStackedBar(
        **_config(
            height=100 + _row_height(34, [name for name, _ in counts]) * len(counts),
            colours=[STATUS_STYLES[s].fill for s in statuses],
            value_colours=[STATUS_STYLES[s].ink for s in statuses],
            legend_at_bottom=True,
            legend_at_bottom_columns=min(3, len(statuses)) or 1,
            truncate_legend=-1,
            print_values=True,
            range=(0, widest),
            show_y_guides=False,
            margin_left=10,
        )
    )
    # pygal draws the first bar at the bottom; the table reads from the top.
    drawn = list(reversed(counts))
    chart.x_labels = _wrapped_labels(chart, [name for name, _ in drawn])
    for status in statuses:
        values = []
        for _, c in drawn:
            n = c.get(status.value, 0)
            label = f"{status.label} {n}"
            values.append({"value": n, "formatter": (lambda _v, t=label: t)} if n else None)
        chart.add(status.label, values, formatter=_blank)
    chart.add_xml_filter(_fit_segment_labels)
    return _finish(chart, _chart_id("status-by-area", rows), title, description, table)


@lru_cache(maxsize=256)
def _outcome_trend(
    title: str,
    points: tuple[tuple[datetime.date, float], ...],
    target: float | None,
    unit: str,
) -> Chart:
    fmt = _formatter(unit)
    headers = ("Period ending", "Value") + (("Target",) if target is not None else ())
    table_rows = tuple(
        (_date(d), fmt(v)) + ((fmt(target),) if target is not None else ()) for d, v in points
    )
    table = ChartTable(headers, table_rows, (False,) + (True,) * (len(headers) - 1))
    if points:
        first, last = points[0], points[-1]
        description = (
            f"Line chart of {title} over {len(points)} "
            f"period{'s' if len(points) != 1 else ''}, from {fmt(first[1])} in the period ending "
            f"{_date(first[0])} to {fmt(last[1])} in the period ending {_date(last[0])}."
        )
    else:
        description = f"Line chart of {title}: no values recorded yet."
    if target is not None:
        description += f" The target, {fmt(target)}, is drawn as a dashed line."
    if not points:
        return _empty(title, description, table, "No values recorded yet.")

    values = [v for _, v in points] + ([target] if target is not None else [])
    low, high = min(values + [0.0]), max(values) or 1.0
    chart = pygal.Line(
        **_config(
            height=320,
            colours=[VALUE_COLOUR, TARGET_COLOUR],
            value_colours=[TEXT, TEXT],
            print_values=True,
            print_values_position="top",
            range=(low, high * 1.15),
            show_legend=target is not None,
            legend_at_bottom=True,
            truncate_legend=-1,
            x_label_rotation=0 if len(points) <= 6 else 30,
            dots_size=4,
            formatter=fmt,
            truncate_label=-1,
            margin_right=30,
        )
    )
    chart.x_labels = [_short_date(d) for d, _ in points]
    chart.add("Value", [v for _, v in points], stroke_style={"width": 3})
    if target is not None:
        chart.add(
            f"Target: {fmt(target)}",
            [target] * len(points),
            show_dots=False,
            formatter=_blank,
            stroke_style={"width": 2, "dasharray": "8, 6"},
        )
    chart.add_xml_filter(_values_above_points)
    return _finish(
        chart, _chart_id("trend", (title, points, target, unit)), title, description, table
    )


@lru_cache(maxsize=256)
def _group_shares(
    title: str,
    shares: tuple[tuple[str, float | None, float | None], ...],
    rule: tuple[str, float | None] = (share_rule.AT_LEAST, None),
) -> Chart:
    fmt = _formatter("percent")
    comparison, tolerance = rule

    def judged(share, expected):
        return share_rule.judge(share, expected, comparison, tolerance)

    def short_words(share, expected) -> str:
        judgement = judged(share, expected)
        return judgement.label.lower() if judgement and judgement.falls_short else ""

    headers = ("Group", "Share of the total", "Share it should have", "Against it")
    table_rows = tuple(
        (
            name,
            "" if share is None else fmt(share),
            share_rule.should_be(expected, comparison, tolerance),
            judgement.label if (judgement := judged(share, expected)) else "",
        )
        for name, share, expected in shares
    )
    table = ChartTable(headers, table_rows, (False, True, True, False))
    short = [f"{name} ({short_words(s, e)})" for name, s, e in shares if short_words(s, e)]
    description = (
        f"Bar chart of {title}: each group's share of the total"
        + (", beside the share it should have" if any(e is not None for *_, e in shares) else "")
        + ". "
        + "; ".join(
            f"{name} {fmt(s) if s is not None else 'not known'}"
            + (
                f" against {fmt(e)}, should be {share_rule.should_be(e, *rule)}"
                if e is not None
                else ""
            )
            for name, s, e in shares
        )
        + ". "
        + (
            f"Falls short: {', '.join(short)}."
            if short
            else "No group falls short of the share it should have."
        )
    )
    if not shares:
        return _empty(title, "No breakdown by group recorded yet.", table, "No breakdown yet.")

    chart_id = _chart_id("shares", (title, shares, rule))
    has_expected = any(e is not None for *_, e in shares)
    chart = pygal.HorizontalBar(
        **_config(
            height=90
            + _row_height(56 if has_expected else 34, [n for n, *_ in shares]) * len(shares),
            colours=[VALUE_COLOUR, f"url(#{chart_id}-hatch)"],
            value_colours=[TEXT, TEXT],
            print_values=True,
            print_values_position="top",
            range=(0, 100),
            y_labels=[0, 25, 50, 75, 100],
            show_legend=has_expected,
            legend_at_bottom=True,
            truncate_legend=-1,
            margin_left=10,
            # Room after a full bar for its words: "40% – under-represented", "should be at most 18%".
            margin_right=max(
                [100]
                + [
                    8 * len(f"{fmt(s)} – {short_words(s, e)}")
                    for _, s, e in shares
                    if s is not None
                ]
                + [8 * len(f"should be {share_rule.should_be(e, *rule)}") for *_, e in shares]
            ),
            legend_at_bottom_columns=1,
            show_x_guides=False,
            show_y_guides=False,
            defs=[
                f'<pattern id="{chart_id}-hatch" width="6" height="6" '
                'patternUnits="userSpaceOnUse" '
                'patternTransform="rotate(45)"><rect width="6" height="6" fill="#ffffff"/>'
                f'<line x1="0" y1="0" x2="0" y2="6" stroke="{TEXT}" stroke-width="2"/></pattern>'
            ],
        )
    )
    drawn = list(reversed(shares))  # pygal draws the first bar at the bottom
    chart.x_labels = _wrapped_labels(chart, [name for name, *_ in drawn])
    chart.add(
        "Share of the total",
        [
            None
            if s is None
            else {
                "value": s,
                "formatter": _share_words(fmt, short_words(s, e)),
            }
            for _, s, e in drawn
        ],
    )
    if has_expected:
        chart.add(
            "Share it should have",
            [
                None
                if e is None
                else {
                    "value": e,
                    "formatter": lambda v: f"should be {share_rule.should_be(v, *rule)}",
                }
                for *_, e in drawn
            ],
        )
    chart.add_xml_filter(_values_after_bars)
    return _finish(chart, chart_id, title, description, table)


# --- shared pieces --------------------------------------------------------------------------


def _config(*, height, colours, value_colours, **options) -> dict:
    style = Style(
        background="#ffffff",
        plot_background="#ffffff",
        foreground=TEXT,
        foreground_strong=TEXT,
        foreground_subtle=SECONDARY,
        opacity="1",
        opacity_hover="1",
        stroke_opacity="1",
        stroke_opacity_hover="1",
        transition="none",
        colors=tuple(colours),
        value_colors=tuple(value_colours),
        font_family=FONT,
        label_font_size=13,
        major_label_font_size=13,
        legend_font_size=14,
        value_font_size=VALUE_FONT,
        value_label_font_size=13,
        title_font_size=16,
        no_data_font_size=16,
        guide_stroke_color="#d9d9d9",
        guide_stroke_dasharray="1,0",  # solid: only the target line is dashed
        major_guide_stroke_color="#d9d9d9",
        major_guide_stroke_dasharray="1,0",
    )
    return {
        "width": WIDTH,
        "height": height,
        "style": style,
        "js": [],
        "disable_xml_declaration": True,
        "explicit_size": True,
        "tooltip_fancy_mode": False,
        "legend_box_size": 14,
        "show_minor_x_labels": True,
        **options,
    }


def _extra_css(chart_id: str) -> str:
    """Every bar outlined in the text colour, so it stands out from the white (WCAG 1.4.11), and
    the printed numbers bold enough to read on their fills."""
    scope = f"#{chart_id}"
    return (
        f"{scope} .series rect{{stroke:{TEXT};stroke-width:1}}"
        f"{scope} .legends .legend rect{{stroke:{TEXT};stroke-width:1}}"
        f"{scope} .text-overlay text.value{{font-weight:bold}}"
        f"{scope} .axis text{{fill:{TEXT}}}"
    )


def _chart_id(kind: str, key) -> str:
    """The same data gives the same id (and so the same bytes); different data, another id."""
    return f"chart-{kind}-{hashlib.sha1(repr(key).encode()).hexdigest()[:10]}"


def _finish(chart, chart_id: str, title: str, description: str, table: ChartTable) -> Chart:
    chart.uuid = chart_id.removeprefix("chart-")  # pygal's id, otherwise random
    chart.config.css = ["file://style.css", "file://graph.css", "inline:" + _extra_css(chart_id)]
    chart.add_xml_filter(lambda root: _accessible(root, chart_id, title, description))
    svg = chart.render(is_unicode=True)
    return Chart(mark_safe(svg), title, description, table, chart_id)


def _share_words(fmt, short: str):
    return lambda v: fmt(v) + (f" – {short}" if short else "")


def _lines(name: str) -> list[str]:
    return textwrap.wrap(name, LABEL_CHARS) or [name]


def _row_height(height: int, names: list[str]) -> int:
    """A bar's height, taller where a wrapped name needs more lines than fit beside it."""
    lines = max((len(_lines(name)) for name in names), default=1)
    return max(height, LABEL_LINE * lines + 12)


def _wrapped_labels(chart, names: list[str]) -> list[str]:
    """Bar names wrapped onto lines rather than cut short ("Staff development, talent pip…").

    pygal sizes the room for the names from their length and draws each on one line, so it is
    given each name's longest line (the room needed), and a filter puts the whole name back, one
    <tspan> per line, centred on its bar."""
    wrapped = [_lines(name) for name in names]
    widest = [max(lines, key=len) for lines in wrapped]

    def wrap(root):
        waiting = {}
        for key, lines in zip(widest, wrapped, strict=True):
            waiting.setdefault(key, []).append(lines)
        for axis in root.iter():
            if "axis" not in (axis.get("class") or "").split():
                continue
            for node in axis.iter():
                if not str(node.tag).endswith("}text") and node.tag != "text":
                    continue
                if node.text not in waiting or not waiting[node.text]:
                    continue
                lines = waiting[node.text].pop(0)
                if len(lines) == 1:
                    continue
                node.text = None
                tspan = str(node.tag)[: -len("text")] + "tspan"
                for number, line in enumerate(lines):
                    up = -LABEL_LINE * (len(lines) - 1) / 2
                    dy = up if number == 0 else LABEL_LINE
                    child = ElementTree.SubElement(node, tspan, {"x": node.get("x", "0")})
                    child.set("dy", f"{dy:g}")
                    child.text = line
        return root

    chart.add_xml_filter(wrap)
    return widest


def _text_width(text: str) -> float:
    return 0.62 * VALUE_FONT * len(text) + 8  # bold Arial, roughly, with a little room


def _fit_segment_labels(root):
    """Each segment says its status and number ("On track 3") where that fits inside it, the
    number alone where only that fits, and nothing where not even that does."""
    series = {}
    overlays = {}
    for group in root.iter():
        classes = group.get("class", "").split()
        if "series" not in classes:
            continue
        key = next((c for c in classes if c.startswith("serie-")), None)
        rects = [n for n in group.iter() if str(n.tag).endswith("rect")]
        texts = [n for n in group.iter() if str(n.tag).endswith("text")]
        if rects:
            series[key] = rects
        elif texts:
            overlays[key] = texts
    for key, texts in overlays.items():
        for rect, text in zip(series.get(key, []), texts, strict=False):
            if not text.text:
                continue
            width = float(rect.get("width", 0) or 0)
            number = text.text.rsplit(" ", 1)[-1]
            if width < _text_width(number):
                text.text = ""
            elif width < _text_width(text.text):
                text.text = number
    return root


def _values_above_points(root):
    """Centre each point's number just above it (pygal puts it below and to the right)."""
    for node in root.iter():
        if str(node.tag).endswith("text") and "value" in node.get("class", "").split():
            node.set("x", f"{float(node.get('x', 0)) - VALUE_FONT:.2f}")
            node.set("y", f"{float(node.get('y', 0)) - VALUE_FONT - 12:.2f}")
            node.set("text-anchor", "middle")
    return root


def _values_after_bars(root):
    """Print each bar's number just past its end, in the text colour on white, not over the bar."""
    for node in root.iter():
        if str(node.tag).endswith("text") and "value" in node.get("class", "").split():
            node.set("x", f"{float(node.get('x', 0)) + 6:.2f}")
            node.set("text-anchor", "start")
    return root


def _accessible(root, chart_id: str, title: str, description: str):
    """Name the picture for screen readers, and drop what only pygal's JavaScript used."""
    root.set("role", "img")
    root.set("aria-labelledby", f"{chart_id}-title {chart_id}-desc")
    root.set("focusable", "false")
    root.set("class", "app-chart__svg")
    for parent in root.iter():
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag.endswith(("desc", "script")) or child.tag is ElementTree.Comment:
                parent.remove(child)  # tooltips' text, pygal's script and config, its comments
            elif "tooltip" in child.get("class", "").split():
                parent.remove(child)
            elif child.get("id", "").startswith("activate-serie"):
                del child.attrib["id"]  # the same on every chart: duplicate ids on a page
    title_node = next((c for c in root if str(c.tag).endswith("title")), None)
    if title_node is None:
        title_node = ElementTree.Element("title")
        root.insert(0, title_node)
    root.remove(title_node)
    title_node.text = title
    title_node.set("id", f"{chart_id}-title")
    desc = ElementTree.Element("desc", {"id": f"{chart_id}-desc"})
    desc.text = description
    root.insert(0, desc)
    root.insert(0, title_node)
    return root


def _empty(title: str, description: str, table: ChartTable, message: str) -> Chart:
    chart_id = f"chart-empty-{hashlib.sha1(repr((title, message)).encode()).hexdigest()[:10]}"
    height = 60
    svg = (
        f'<svg xmlns="{SVG_NS}" id="{chart_id}" class="app-chart__svg" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" '
        f'width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}">'
        f'<title id="{chart_id}-title">{_escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{_escape(description)}</desc>'
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>'
        f'<text x="10" y="36" font-family="{FONT}" font-size="16" fill="{TEXT}">'
        f"{_escape(message)}</text></svg>"
    )
    return Chart(mark_safe(svg), title, description, table, chart_id)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _blank(_value) -> str:
    return ""


def _number(value) -> float:
    return float(value)


def _formatter(unit: str):
    if unit == "percent":
        return lambda v: f"{plain_number(v)}%"
    return plain_number


def plain_number(value) -> str:
    """1234.5 → "1,234.5"; 12.0 → "12": no trailing zeros, thousands separated."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral():
        return f"{int(number):,}"
    return f"{number:,f}"


def _date(day: datetime.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _short_date(day: datetime.date) -> str:
    return f"{day:%b %Y}"
