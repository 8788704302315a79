from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from actions.models import Action
from actions.page import TEMPLATE, action_page_context, get_action


@require_GET
@login_required
def action_detail(request, ref: str):
    action = get_action(Action.objects.visible_to(request.user), ref)
    can_edit = action.is_editable_by(request.user)
    return render(request, TEMPLATE, action_page_context(request, action, can_edit=can_edit))
