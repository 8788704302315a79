from actions.views.detail import action_detail
from actions.views.mine import my_actions
from actions.views.updates import action_delegate, action_progress, measurement_add, target_progress

__all__ = [
    "action_delegate",
    "action_detail",
    "action_progress",
    "measurement_add",
    "my_actions",
    "target_progress",
]
