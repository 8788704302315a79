"""Static files as WhiteNoise serves them: compressed (gzip and Brotli), with hashed names that
browsers may keep for a year."""

from django.contrib.staticfiles.finders import FileSystemFinder
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """govuk-frontend's stylesheet asks for its fonts and images at the site's root
    (``url(/assets/fonts/...)``), where nothing serves them. Read those as relative to the
    stylesheet (``static/govuk/assets/...``, which collectstatic copies from the npm package), so
    that they too get hashed names and are served by WhiteNoise like every other static file.

    The usual way is to compile govuk-frontend's Sass with ``$govuk-assets-path``; this product
    uses the precompiled CSS, so the one rewrite happens here, when collectstatic runs.
    """

    patterns = (
        *CompressedManifestStaticFilesStorage.patterns,
        (
            "*govuk-frontend.min.css",
            ((r"""(?P<matched>url\(/(?P<url>assets/[^)"']+)\))""", 'url("%(url)s")'),),
        ),
    )


# Of govuk-frontend's npm package (STATICFILES_DIRS' "govuk"), what the pages use: its compiled
# stylesheet and script, their source maps, and the fonts and images the stylesheet asks for.
GOVUK_FRONTEND_FILES = (
    "govuk-frontend.min.css",
    "govuk-frontend.min.css.map",
    "govuk-frontend.min.js",
    "govuk-frontend.min.js.map",
)


class StaticFilesFinder(FileSystemFinder):
    """STATICFILES_DIRS, leaving out the rest of govuk-frontend's package (its Sass, Nunjucks,
    component sources and fixtures: some 900 files) so collectstatic copies and compresses only
    what is served."""

    def list(self, ignore_patterns):
        for path, storage in super().list(ignore_patterns):
            if getattr(storage, "prefix", None) != "govuk" or (
                path in GOVUK_FRONTEND_FILES or path.startswith("assets/")
            ):
                yield path, storage
