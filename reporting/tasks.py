"""Background tasks (django-tasks; the worker is ``manage.py db_worker``)."""

from django_tasks import task


@task()
def render_stocktake_pdf(render_id: int) -> dict:
    """Make a stocktake's PDF. A failure is kept on the attempt, with why, and raised again so
    the worker records the task as failed too."""
    from reporting.stocktake.services import make_pdf

    render = make_pdf(render_id)
    return {"render": render.pk, "state": render.state, "pages": render.pages}


@task()
def send_daily_reminders() -> dict:
    """The day's reminders (reporting/reminders.py), booking the next day's run as it goes."""
    from reporting.reminders import run_daily

    return run_daily()
