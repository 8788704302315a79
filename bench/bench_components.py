#!/usr/bin/env python
"""What the table component costs: a long table drawn with {% table %} and {% cell %} against the
same GOV.UK markup written out in the page, as the pages did before the components.

No database: the rows are plain objects. Each variant renders ROWS rows of five cells (a link, a
status tag, a number, a date, a name) REPEATS times; the median CPU time is printed, per table and
per row, with one JSON object per variant:

    {"bench": "table", "variant": "component", "rows": 500, "median_ms": 21.0, "per_row_us": 42.0}

and the goal, checked: the component costs at most twice the markup written out (it renders
the same cells, then collects them and draws their <td>s in Python: a few microseconds a cell).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.template import engines  # noqa: E402

ROWS = 500
REPEATS = 30
RATIO_GOAL = 2.0

COMPONENT = """{% load govuk %}
{% table actions as action caption="Actions" caption_hidden=True scroll_label="Actions, table" compact=True %}
  {% cell "Action" %}<a class="govuk-link" href="/actions/{{ action.ref }}/">{{ action.ref }}</a>{% endcell %}
  {% cell "Status" %}{% status_tag action.status action.label %}{% endcell %}
  {% cell "% complete" numeric=True %}{{ action.progress }}%{% endcell %}
  {% cell "Due" %}{{ action.due }}{% endcell %}
  {% cell "Owner" %}{{ action.owner }}{% endcell %}
{% endtable %}"""

WRITTEN_OUT = """{% load govuk %}
<div class="app-table-scroll app-table-scroll--compact" role="region" aria-label="Actions, table" tabindex="0">
<table class="govuk-table app-table--compact">
  <caption class="govuk-table__caption govuk-visually-hidden">Actions</caption>
  <thead class="govuk-table__head">
    <tr class="govuk-table__row">
      <th scope="col" class="govuk-table__header">Action</th>
      <th scope="col" class="govuk-table__header">Status</th>
      <th scope="col" class="govuk-table__header govuk-table__header--numeric">% complete</th>
      <th scope="col" class="govuk-table__header">Due</th>
      <th scope="col" class="govuk-table__header">Owner</th>
    </tr>
  </thead>
  <tbody class="govuk-table__body">
    {% for action in actions %}
    <tr class="govuk-table__row">
      <td class="govuk-table__cell"><a class="govuk-link" href="/actions/{{ action.ref }}/">{{ action.ref }}</a></td>
      <td class="govuk-table__cell">{% status_tag action.status action.label %}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ action.progress }}%</td>
      <td class="govuk-table__cell">{{ action.due }}</td>
      <td class="govuk-table__cell">{{ action.owner }}</td>
    </tr>
    {% endfor %}
  </tbody>
</table>
</div>"""


def actions():
    statuses = [("on_track", "On track"), ("at_risk", "At risk"), ("off_track", "Off track")]
    return [
        {
            "ref": f"HOU-A{n}",
            "status": statuses[n % 3][0],
            "label": statuses[n % 3][1],
            "progress": n % 101,
            "due": "31 Mar 2027",
            "owner": f"Person {n}",
        }
        for n in range(ROWS)
    ]


def median_cpu_ms(source: str, context: dict) -> float:
    template = engines["django"].from_string(source)
    template.render(context)  # compiled and warm
    times = []
    for _ in range(REPEATS):
        start = time.process_time()
        template.render(context)
        times.append((time.process_time() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    context = {"actions": actions()}
    results = {}
    for variant, source in (("written out", WRITTEN_OUT), ("component", COMPONENT)):
        median = median_cpu_ms(source, context)
        results[variant] = median
        line = {
            "bench": "table",
            "variant": variant,
            "rows": ROWS,
            "median_ms": round(median, 1),
            "per_row_us": round(median * 1000 / ROWS, 1),
        }
        print(json.dumps(line))
        print(f"  table of {ROWS} rows, {variant:<12} CPU median {median:7.1f} ms")
    ratio = results["component"] / results["written out"]
    verdict = "met   " if ratio <= RATIO_GOAL else "MISSED"
    print(
        f"Goal\n  {verdict} the component costs {ratio:.2f}× the markup written out (goal: at most {RATIO_GOAL}×)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
