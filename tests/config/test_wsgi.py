"""A web worker loads what every page needs when it starts and keeps it out of the garbage
collector's reach, so a full collection never stalls a page for the ~70 ms it takes to walk it."""

import json

from tests.config.production import run

SCRIPT = """
import gc, json
import config.wsgi
from django.template import engines
from django.template.loaders.cached import Loader
def cached_loaders(loaders):
    for loader in loaders:
        yield from [loader] if isinstance(loader, Loader) else cached_loaders(getattr(loader, "loaders", []))
cached = list(cached_loaders(engines["django"].engine.template_loaders))
print(json.dumps({
    "frozen": gc.get_freeze_count(),
    "tracked": len(gc.get_objects()),
    "templates": sorted(key for loader in cached for key in loader.get_template_cache),
}))
"""


def test_a_worker_starts_with_its_urls_and_templates_loaded_and_out_of_the_collector_s_reach():
    done = run(["-c", SCRIPT])
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["frozen"] > 50_000  # Django, the apps, their URLs and the compiled templates
    assert figures["tracked"] < figures["frozen"] / 20  # a full collection walks only these
    assert {"base.html", "actions/detail.html", "reporting/dashboard.html"} <= set(
        figures["templates"]
    )
