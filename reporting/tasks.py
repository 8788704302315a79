"""Background tasks (django-tasks; the worker is ``manage.py db_worker``)."""

from django_tasks import task

# The stocktake's services enqueue this task and it calls them back: a module import (not a name)
# lets the two refer to each other.
from reporting.stocktake import services as stocktake


@task()
def render_stocktake_pdf(render_id: int) -> dict:
    """Make a stocktake's PDF. A failure is kept on the attempt, with why, and raised again so
    the worker records the task as failed too."""
    render = stocktake.make_pdf(render_id)
    return {"render": render.pk, "state": render.state, "pages": render.pages}
