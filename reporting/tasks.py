"""Background tasks (django-tasks; the worker is ``manage.py db_worker``)."""

from django_tasks import task

# The stocktake's services and the reminders enqueue these tasks and the tasks call them back:
# module imports (not names) let them refer to each other.
from reporting import reminders
from reporting.stocktake import services as stocktake


@task()
def render_stocktake_pdf(render_id: int) -> dict:
    """Make a stocktake's PDF. A failure is kept on the attempt, with why, and raised again so
    the worker records the task as failed too."""
    render = stocktake.make_pdf(render_id)
    return {"render": render.pk, "state": render.state, "pages": render.pages}


@task()
def send_daily_reminders() -> dict:
    """The day's reminders (reporting/reminders.py), booking the next day's run as it goes."""
    return reminders.run_daily()
