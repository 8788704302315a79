"""The framework browser: strands, service areas and actions, filtered, searched and paged."""

from itertools import groupby
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.views.decorators.http import require_GET
from django_htmx.http import push_url

from actions.cycles import current_cycle, state_in_cycle, today
from actions.filters import ActionFilter
from actions.models import Action
from actions.views import cells
from config.htmx import is_partial
from config.roles import sees_everything
from config.templatetags.govuk import tag

# Each area's table of actions: its columns, and each row's cells drawn here rather than by the
# template's {% cell %}s, because a page of actions has hundreds of cells.
HEAD = [{"heading": heading} for heading in ("Action", "Owner", "Status", "Due", "This cycle")]


@require_GET
@login_required
def framework(request):
    """Everything the person may see, filtered by the query string; HTMX swaps the results."""
    url = _clean_url(request)
    if not is_partial(request) and url != request.get_full_path():
        return redirect(url)  # a plain form submission: drop the filters left blank
    visible = Action.objects.visible_to(request.user)
    cycle = current_cycle()
    on = today()
    action_filter = ActionFilter(request.GET or None, visible=visible, cycle=cycle, on=on)
    actions = (
        action_filter.qs.with_latest_update()
        .defer(*cells.LONG_TEXTS)
        .select_related("service_area__strand", "service_area__director", "owner", "lead_officer")
        .order_by("service_area__strand__position", "service_area__position", "position", "ref")
    )
    paginator = Paginator(actions, settings.FRAMEWORK_BROWSER_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = list(page.object_list)
    for action in rows:
        action.cycle_state = state_in_cycle(
            cycle=cycle, is_live=action.is_live, last_update_at=action.last_update_at, on=on
        )
        action.is_overdue = bool(action.is_live and action.due_date and action.due_date < on)
    context = {
        "form": action_filter.form,
        "filters": action_filter.labels(),
        "strands": _grouped(rows),
        "head": HEAD,
        "page": page,
        "page_numbers": list(
            paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)
        ),
        "paginator": paginator,
        "query": QueryDict(url.partition("?")[2]),
        "cycle": cycle,
        "searching": bool(action_filter.values),
        "sees_everything": sees_everything(request.user),
    }
    template = "strands/framework.html"
    if not is_partial(request):
        return render(request, template, context)
    context["partial"] = True
    response = render(request, template + "#framework-results", context)
    return push_url(response, url)  # the address bar shows the filters, without the blank ones


def _clean_url(request) -> str:
    """The page's address without the filters left blank (a form sends every field)."""
    values = [(k, v) for k, vs in request.GET.lists() for v in vs]
    if all(v.strip() for _, v in values):
        return request.get_full_path()
    given = [(k, v) for k, v in values if v.strip()]
    return f"{request.path}?{urlencode(given)}" if given else request.path


def _grouped(rows):
    """[(strand, [(area, [table rows])])] in framework order, for the page's headings."""
    strands = []
    for strand, in_strand in groupby(rows, key=lambda a: a.service_area.strand):
        areas = [
            (area, [_cells(action) for action in items])
            for area, items in groupby(in_strand, lambda a: a.service_area)
        ]
        strands.append((strand, areas))
    return strands


def _cells(action) -> list[dict]:
    """An action's row of the table."""
    owner = action.responsible_owner
    owner_cell = cells.text(owner.display_name) if owner else "Not assigned"
    if action.lead_officer:
        owner_cell += (
            '\n            <br><span class="govuk-body-s">Lead officer: '
            f"{cells.text(action.lead_officer.display_name)}</span>"
        )
    if action.due_date:
        due = cells.day(action.due_date)
        if action.is_overdue:
            due += f"<br>{PAST_DUE}"
    else:
        due = '<span class="govuk-body-s">Not given</span>'
    status = (
        f"{cells.status(action.status, action.get_status_display())}"
        f'<br><span class="govuk-body-s">{cells.text(action.progress)}% complete</span>'
    )
    contents = [SafeString(owner_cell), SafeString(status), SafeString(due)]  # escaped above
    return cells.row(HEAD, [cells.action_link(action), *contents, _this_cycle(action)])


PAST_DUE = tag("Past due", "red")
_GAP = "\n              \n          \n          "  # after a cycle tag, as the template wrote it


def _this_cycle(action) -> SafeString:
    """Where the action stands in the reporting cycle, and when it was last updated."""
    drawn = cells.cycle_tag(action)
    if not action.last_update_at:
        return drawn
    gap = _GAP if action.cycle_state else "\n          "
    return SafeString(
        f'{drawn}{gap}<br><span class="govuk-body-s">Last update '
        f"{cells.day(localtime(action.last_update_at))}</span>"
    )
