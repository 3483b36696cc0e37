"""A crawler for the site through Flask's test client: follows every link from a start page."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin, urlsplit

from flask.testing import FlaskClient

LOCAL_HOST = "localhost"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


class LinkParser(HTMLParser):
    """Collects the targets of <a href>, <link href>, <img src> and <script src>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "link": "href", "img": "src", "script": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.links.append(value)


def links_in(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    parser.close()
    return parser.links


@dataclass
class CrawlResult:
    visited: dict[str, int] = field(default_factory=dict)  # url path (with query) -> status
    broken: list[tuple[str, int, str]] = field(default_factory=list)  # (url, status, found on)
    redirects: dict[str, str] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # HTML pages by url


def local_target(href: str, page_url: str) -> str | None:
    """The server-relative URL a link leads to, or None for a link off the site."""
    absolute = urljoin("http://" + LOCAL_HOST + page_url, href)
    absolute, _ = urldefrag(absolute)
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or parts.netloc != LOCAL_HOST:
        return None
    return parts.path + ("?" + parts.query if parts.query else "")


def crawl(
    client: FlaskClient,
    start: Iterable[str] = ("/",),
    limit: int = 20000,
    accept: str = BROWSER_ACCEPT,
) -> CrawlResult:
    """Every page reachable from ``start``, each fetched with ``Accept: {accept}``."""
    result = CrawlResult()
    queue: list[tuple[str, str]] = [(url, "(start)") for url in start]
    while queue:
        url, found_on = queue.pop()
        if url in result.visited:
            continue
        if len(result.visited) >= limit:
            raise AssertionError(f"more than {limit} URLs: is the site generating links forever?")
        response = client.get(url, headers={"Accept": accept})
        result.visited[url] = response.status_code
        if response.status_code in (301, 302, 303, 307, 308):
            target = local_target(response.headers["Location"], url)
            if target is not None:
                result.redirects[url] = target
                queue.append((target, url))
            continue
        if response.status_code >= 400:
            result.broken.append((url, response.status_code, found_on))
            continue
        if response.mimetype == "text/html":
            html = response.get_data(as_text=True)
            result.pages[url] = html
            for href in links_in(html):
                target = local_target(href, url)
                if target is not None and target not in result.visited:
                    queue.append((target, url))
    return result
