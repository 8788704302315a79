"""WeasyPrint fetches nothing for the stocktake it was not meant to: `data:` URLs and the project's
own static files only, never the network or another file."""

import base64
import http.server
import threading

import pytest
from django.conf import settings

from reporting.stocktake import pdf

PIXEL = base64.b64encode(
    b"<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'><rect width='4' height='4'/></svg>"
).decode()


@pytest.fixture
def local_server():
    """A web server on 127.0.0.1 that counts the requests it gets (for a few seconds at most)."""
    requests = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/css")
            self.end_headers()
            self.wfile.write(b"p { color: red }")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    server.timeout = 5
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requests
    server.shutdown()
    server.server_close()


def render(html, url_fetcher):
    from weasyprint import HTML

    return HTML(string=html, url_fetcher=url_fetcher).write_pdf()


def page_using(base):
    return (
        f'<html lang="en"><head><title>t</title><link rel="stylesheet" href="{base}/style.css">'
        f'</head><body><p>Words</p><img alt="x" src="{base}/picture.png"></body></html>'
    )


def test_the_stocktake_fetcher_asks_nothing_of_the_network(local_server):
    from weasyprint.urls import URLFetcher

    base, requests = local_server
    render(page_using(base), URLFetcher())
    assert sorted(requests) == ["/picture.png", "/style.css"]  # WeasyPrint's own fetcher does
    requests.clear()
    render(page_using(base), pdf.url_fetcher())
    assert requests == []


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/x.css",
        "https://example.org/x.png",
        "ftp://example.org/x",
        "file:///etc/passwd",
        (settings.BASE_DIR / "manage.py").as_uri(),
        (settings.BASE_DIR / "static").as_uri() + "/../manage.py",
        (settings.BASE_DIR / "static" / "no-such-file.css").as_uri(),
        "file://elsewhere/" + str(settings.BASE_DIR / "static" / "app.css"),
    ],
)
def test_the_stocktake_fetcher_refuses_anything_but_its_static_files(url):
    with pytest.raises(ValueError, match="only its own static files"):
        pdf.url_fetcher().fetch(url)


def test_the_stocktake_fetcher_gives_its_static_files_and_data_urls():
    app_css = settings.BASE_DIR / "static" / "app.css"
    response = pdf.url_fetcher().fetch(app_css.as_uri())
    assert response.read() == app_css.read_bytes()
    response.close()
    response = pdf.url_fetcher().fetch(f"data:image/svg+xml;base64,{PIXEL}")
    assert response.read().startswith(b"<svg")
    response.close()
