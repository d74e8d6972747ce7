"""The board pack as a PDF: the print view's HTML rendered by WeasyPrint, with no network access.

WeasyPrint fetches the stylesheets, fonts and images the page names. `StaticFilesFetcher` serves the addresses under
STATIC_URL from this machine (the collected static files, else the static files finders) and refuses every other
address, so rendering a pack never reaches the network, nor a file outside the static files.

The stylesheets of the print view (GOV.UK Frontend's, the print one) and the PDF's own are parsed once per process
and kept while their content is unchanged: parsing GOV.UK Frontend's stylesheet is most of the cost of a PDF.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import mimetypes
import threading
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.templatetags.static import static

logger = logging.getLogger(__name__)

# The stylesheets of a board pack PDF, in cascade order: the page's (as base.html links them), then the PDF's.
STYLESHEETS = ("css/main.css", "css/print.css", "css/pdf.css")
# Fonts the GOV.UK stylesheet declares; Python's table does not know them all.
FONT_TYPES = {".woff2": "font/woff2", ".woff": "font/woff", ".ttf": "font/ttf", ".otf": "font/otf"}

_lock = threading.Lock()
_parsed: dict[str, object] = {}
# Let WeasyPrint's font configuration clean up while the interpreter can still run its code.
atexit.register(_parsed.clear)


class RefusedURL(ValueError):
    """An address the PDF may not fetch: anything but the service's own static files."""


class PdfUnavailable(RuntimeError):
    """WeasyPrint cannot run here: it is not installed, or the Pango libraries it needs are missing."""


def static_name(url: str) -> str:
    """The static file an address names ("http://host/static/css/main.css" -> "css/main.css"), or RefusedURL.

    Only the path counts: the file is read from this machine whatever host the address names."""
    parts = urlsplit(url)
    prefix = urlsplit(settings.STATIC_URL).path
    if parts.scheme not in ("http", "https") or not parts.path.startswith(prefix):
        raise RefusedURL(f"Only the service's static files are fetched, not {url[:200]!r}")
    return unquote(parts.path[len(prefix) :])


def static_file_bytes(name: str) -> bytes:
    """The content of a static file by its name under STATIC_URL ("css/main.css"), from the collected files
    (hashed names in production) or, failing that, the finders (development and tests). Raises RefusedURL for a
    name that leaves the static files and FileNotFoundError for one that is not there."""
    if not name or name.startswith("/") or "\\" in name or ".." in name.split("/"):
        raise RefusedURL(f"Not a static file: {name!r}")
    try:
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name, "rb") as handle:
                return handle.read()
    except (SuspiciousFileOperation, NotImplementedError, OSError):
        pass  # Not collected (development, tests): the finders know where the source is.
    try:
        path = finders.find(name)
    except SuspiciousFileOperation as error:
        raise RefusedURL(f"Not a static file: {name!r}") from error
    if not path:
        raise FileNotFoundError(f"No static file {name!r}")
    with open(path, "rb") as handle:
        return handle.read()


def _weasyprint():
    try:
        import weasyprint
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher, URLFetcherResponse
    except (ImportError, OSError) as error:
        raise PdfUnavailable(f"WeasyPrint cannot be loaded: {error}") from error
    return weasyprint, FontConfiguration, URLFetcher, URLFetcherResponse


def static_files_fetcher():
    """A WeasyPrint URL fetcher that serves the static files and refuses everything else (inline data: URLs, which
    reach nothing, excepted)."""
    _, _, URLFetcher, URLFetcherResponse = _weasyprint()  # noqa: N806 - classes

    class StaticFilesFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            try:
                name = static_name(url)
                body = static_file_bytes(name)
            except (RefusedURL, FileNotFoundError) as error:
                logger.warning("Board pack PDF: %s", error)
                raise
            suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
            content_type = FONT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body, {"Content-Type": content_type})

    return StaticFilesFetcher()


def _stylesheets(*, base_url: str, fetcher):
    """The parsed stylesheets and the font configuration holding their fonts, parsed again only when a stylesheet's
    content has changed (a new build, a new deployment)."""
    weasyprint, FontConfiguration, _, _ = _weasyprint()  # noqa: N806 - a class
    urls = [urljoin(base_url, static(name)) for name in STYLESHEETS]
    contents = [static_file_bytes(static_name(url)) for url in urls]
    key = hashlib.sha256(b"\0".join(contents)).hexdigest()
    if _parsed.get("key") != key:
        font_config = FontConfiguration()
        sheets = [
            weasyprint.CSS(string=content.decode("utf-8"), base_url=url, url_fetcher=fetcher, font_config=font_config)
            for url, content in zip(urls, contents, strict=True)
        ]
        _parsed.update(key=key, font_config=font_config, sheets=sheets)
    return _parsed["sheets"], _parsed["font_config"]


def pdf_from_html(*, html: str, base_url: str) -> bytes:
    """Render a page's HTML, without stylesheets of its own, to PDF bytes with the print view's stylesheets and
    the PDF's (`STYLESHEETS`); relative addresses resolve against `base_url` (the site's root).

    Raises PdfUnavailable when WeasyPrint cannot be loaded (imported here, so the rest of the service runs on a
    machine without Pango). One PDF at a time per process: the parsed stylesheets and their fonts are shared."""
    weasyprint, _, _, _ = _weasyprint()
    fetcher = static_files_fetcher()
    with _lock:
        sheets, font_config = _stylesheets(base_url=base_url, fetcher=fetcher)
        document = weasyprint.HTML(string=html, base_url=base_url, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=sheets, font_config=font_config)
