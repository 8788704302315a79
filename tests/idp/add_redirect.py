"""Add a redirect URI to the test provider's application (a browser test's live server)."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.idp.settings")
django.setup()

from oauth2_provider.models import Application  # noqa: E402

app = Application.objects.get(client_id=sys.argv[1])
for uri in sys.argv[2:]:
    app.redirect_uris += f" {uri}"
    app.post_logout_redirect_uris += f" {uri}"
app.save()
