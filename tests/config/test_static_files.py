"""Static files as production serves them: collected, with hashed names, compressed, cached for a
year by WhiteNoise; govuk-frontend's fonts and images among them, and nothing served by a view."""

import re

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

pytestmark = pytest.mark.django_db

MANIFEST = {"BACKEND": "config.storage.StaticFilesStorage"}
A_YEAR_OR_MORE = re.compile(r"max-age=(\d+)")


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic into a folder of its own, once for this module."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES={"staticfiles": MANIFEST}):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def production_static(collected):
    with override_settings(
        STATIC_ROOT=collected,
        STORAGES={"staticfiles": MANIFEST},
        WHITENOISE_USE_FINDERS=False,  # as in production: only what collectstatic collected
        WHITENOISE_AUTOREFRESH=False,
    ):
        yield Client()  # a new client builds the middleware, WhiteNoise reading STATIC_ROOT


def stylesheet(collected):
    (css,) = (collected / "govuk").glob("govuk-frontend.min.*.css")
    return css


def test_the_govuk_stylesheet_asks_for_hashed_fonts_and_images_beside_it(collected):
    css = stylesheet(collected)
    urls = set(re.findall(r"url\(\"?([^)\"]+)\"?\)", css.read_text()))
    assert urls, "govuk-frontend's stylesheet names no fonts or images"
    for url in urls:
        assert url.startswith("assets/"), url  # not /assets/, where nothing serves them
        assert re.search(r"\.[0-9a-f]{12}\.(woff2?|svg)$", url), f"{url} has no hashed name"
        assert (css.parent / url).is_file(), url


def test_only_what_pages_use_of_govuk_frontend_is_collected(collected):
    govuk = {
        p.relative_to(collected / "govuk").as_posix() for p in (collected / "govuk").rglob("*")
    }
    assert not [p for p in govuk if p.endswith((".scss", ".njk", ".mjs", ".html"))]
    assert "assets/fonts/bold-b542beb274-v2.woff2" in govuk


def test_pages_link_to_hashed_names_which_whitenoise_serves_compressed_for_a_year(
    production_static,
):
    html = production_static.get("/sign-in/").content.decode()
    links = re.findall(r'(?:href|src|from) ?=? ?"(/static/[^"]+)"', html)
    assert len(links) >= 4, links  # govuk-frontend's CSS and JS, the app's CSS and JS, htmx
    for url in links:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), f"{url} has no hashed name"
        response = production_static.get(url, headers={"Accept-Encoding": "gzip, br"})
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "br", url
        assert "immutable" in response["Cache-Control"], url
        assert int(A_YEAR_OR_MORE.search(response["Cache-Control"]).group(1)) >= 365 * 24 * 3600


def test_govuk_fonts_are_served_from_their_hashed_names(production_static, collected):
    css = stylesheet(collected)
    font = re.search(r'url\("(assets/fonts/[^"]+\.woff2)"\)', css.read_text()).group(1)
    response = production_static.get(f"/static/govuk/{font}")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == (css.parent / font).read_bytes()
    assert "immutable" in response["Cache-Control"]


def test_nothing_serves_the_old_assets_path(production_static):
    assert production_static.get("/assets/fonts/bold-b542beb274-v2.woff2").status_code == 404
