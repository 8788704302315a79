from strands.views.browse import framework
from strands.views.load import (
    framework_download,
    framework_load,
    framework_load_confirm,
    framework_load_report,
)

__all__ = [
    "framework",
    "framework_download",
    "framework_load",
    "framework_load_confirm",
    "framework_load_report",
]
