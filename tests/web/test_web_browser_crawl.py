"""Real headless Chromium: every page of the demo workspace, at laptop and phone widths.

The demo network is built (imports, coding, themes, stories, a roundtable) and
its convener signs in. Starting from the home page, the crawl follows every
same-origin link it finds (GET only; file downloads and signing out are left
alone; one page per address and set of query names). Each page, at 1366 px
and at 375 px, must answer, must not be wider than the window, and must pass
axe-core's accessibility checks. The slowest page on the second visit (after
warm-up) is printed, not asserted: wall-clock time depends on the machine.
"""

from __future__ import annotations

import re
import time
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urldefrag, urlsplit

import pytest
from fastapi import FastAPI

from upstream.demo.run import DEMO_EMAIL

from .conftest import serve  # type: ignore[import-not-found]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from tests.conftest import DemoNetwork

WIDTHS = {"desktop": (1366, 900), "phone": (375, 740)}
# Downloads, and addresses that change something or end the session.
SKIP = (
    "/logout", "export.csv", "/dashboards/report", "/themes/report", "/download", ".xlsx", ".pdf",
    ".csv",
)  # fmt: skip
MOST_PAGES = 150
# The outermost elements that reach past the window and are not inside a scrolling box.
_WIDE_ELEMENTS = """
Array.from(document.querySelectorAll('body *')).filter(e => {
  if (e.getBoundingClientRect().right <= innerWidth + 1) return false;
  for (let p = e.parentElement; p; p = p.parentElement) {
    if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(p).overflowX)) return false;
    if (p.getBoundingClientRect().right > innerWidth + 1 && p !== document.body) return false;
  }
  return true;
}).slice(0, 3).map(e => e.tagName.toLowerCase() + '.' + e.className)
"""


@pytest.fixture
def demo_server(
    tmp_path: Path, make_app: Callable[..., FastAPI], demo_network: DemoNetwork
) -> Iterator[tuple[str, str]]:
    """The demo network served on 127.0.0.1, with its convener's password."""
    db = str(demo_network.copy_to(tmp_path))
    for url in serve(make_app(db)):
        yield url, demo_network.password


def _key(url: str) -> str:
    """One page per kind: ids in the path and query values do not make a new kind.

    ``/w/1/evidence/11`` and ``/w/1/evidence/12`` are alike, as are page 2 and page 3
    of a list; a different set of query names is a different page.
    """
    parts = urlsplit(url)
    path = re.sub(r"/\d+", "/N", parts.path.removeprefix(_workspace_prefix(parts.path)))
    names = sorted({name for name, _ in parse_qsl(parts.query)})
    return _workspace_prefix(parts.path) + path + ("?" + "&".join(names) if names else "")


def _workspace_prefix(path: str) -> str:
    found = re.match(r"/w/\d+", path)
    return found.group(0) if found else ""


def _links(page: Page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        url = urldefrag(str(href))[0]
        if url.startswith(origin) and not any(s in url for s in SKIP):
            found.append(url)
    return found


def _check(page: Page, url: str, axe: object, problems: list[str], label: str) -> float:
    started = time.perf_counter()
    response = page.goto(url, wait_until="load")
    took = time.perf_counter() - started
    if response is None or response.status >= 400:
        problems.append(f"{label} {url}: answered {response.status if response else 'nothing'}")
        return took
    wide = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if wide > 0:
        culprits = page.evaluate(_WIDE_ELEMENTS)
        problems.append(f"{label} {url}: {wide}px wider than the window ({culprits})")
    results = axe.run(page)  # type: ignore[attr-defined]
    for violation in results.response["violations"]:
        targets = [", ".join(map(str, n["target"])) for n in violation["nodes"][:3]]
        problems.append(f"{label} {url}: axe {violation['id']} on {targets}")
    return took


def test_every_demo_page_fits_and_passes_axe(
    demo_server: tuple[str, str], chromium: Browser, artifacts: Path
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    server, password = demo_server
    axe = Axe()
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(server + "/login")
    page.get_by_label("Email address").fill(DEMO_EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)
    start = page.url
    seen = {_key(start)}
    queue, pages = deque([start]), []
    while queue and len(pages) < MOST_PAGES:
        url = queue.popleft()
        pages.append(url)
        _check(page, url, axe, problems, "1366px")
        for link in _links(page, server):
            if _key(link) not in seen:
                seen.add(_key(link))
                queue.append(link)
    page.set_viewport_size({"width": 375, "height": 740})
    timings = [(_check(page, url, axe, problems, "375px"), url) for url in pages]
    page.goto(pages[0])
    page.screenshot(path=str(artifacts / "web-crawl-home-phone.png"), full_page=True)
    context.close()
    took, slowest = max(timings)
    print(f"\nCrawled {len(pages)} pages at 1366 and 375 px.")
    print(f"Slowest page after warm-up: {slowest} in {took:.2f} s.")
    assert len(pages) > 20, f"the crawl found only {len(pages)} pages"
    assert problems == [], "\n".join(problems)
