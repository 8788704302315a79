"""Make the test provider's database: its people and one registered application (this product).

Usage: python -m tests.idp.setup_idp CLIENT_ID CLIENT_SECRET REDIRECT_URI [REDIRECT_URI ...]
"""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.idp.settings")
django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

PEOPLE = [
    # username, email, first name, last name
    ("hana", "hana.osei@council.example", "Hana", "Osei"),
    ("stranger", "stranger@council.example", "Sam", "Stranger"),
    ("gone", "gone@council.example", "Gail", "Gone"),
    ("unsure", "unsure@council.example", "Uma", "unverified"),
    ("board", "board.member@council.example", "Bo", "Ard"),
]
PASSWORD = "idp-password"


def main(client_id: str, secret: str, redirect_uris: list[str]) -> None:
    call_command("migrate", verbosity=0, interactive=False)
    for username, email, first, last in PEOPLE:
        User.objects.create_user(
            username, email=email, password=PASSWORD, first_name=first, last_name=last
        )
    Application.objects.create(
        name="Outcomes framework",
        client_id=client_id,
        client_secret=secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        algorithm=Application.RS256_ALGORITHM,
        redirect_uris=" ".join(redirect_uris),
        post_logout_redirect_uris=" ".join(redirect_uris),
        skip_authorization=True,
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3:])
