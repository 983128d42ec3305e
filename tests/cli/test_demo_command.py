"""The main job: `upstream demo` imports, codes, themes, compares, reports, sets up an account."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from upstream.cli import app
from upstream.store import Store
from upstream.store.accounts import Accounts
from upstream.store.assessment_repository import AssessmentRepository
from upstream.web import create_app

runner = CliRunner()


def test_demo_runs_the_whole_job_without_serving(tmp_path: Path) -> None:
    db, report = tmp_path / "demo.db", tmp_path / "demo-report.html"
    # The quick hashing model keeps the test fast; the default model is exercised elsewhere.
    args = ["demo", "--db", str(db), "--report", str(report), "--no-serve", "--embedder", "hashing"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())

    assert re.search(r"\d+ items from 12 organisations in \d+ sources \(new this run: 615\)", out)
    # Residents' replies go to themes: the built-in frameworks code the other 441 items.
    assert re.search(r"Coded \d+ of 441 items against New Operating Models", out)
    assert "Evidence from residents is not coded against New Operating Models" in out
    themes = re.search(r"Found (\d+) themes in (\d+) consultation replies", out)
    assert themes and int(themes.group(1)) >= 2
    assert "set aside as spam, abuse or off-topic" in out
    assert "\u201c" in out  # the largest themes come with a quote or a stance split
    assert "Patterns across 12 organisations" in out
    assert "Barriers raised by the most organisations" in out
    assert "Self-assessment 'New Operating Models self-assessment'" in out
    assert re.search(r"Coded \d+ of \d+ items as drivers, barriers or enablers", out)
    assert "Story collection 'Working differently with communities': 20 stories" in out
    assert re.search(r"Share link: http://127\.0\.0\.1:8000/s/[\w-]{20,}", out)
    assert "Roundtable 'Roundtable on leaving old habits behind': 10 reflections" in out
    assert "Library: 'Small spending powers for neighbourhood teams'" in out
    assert re.search(r"Workgroups: '[^']+ workgroup'", out)
    assert report.stat().st_size > 10_000 and "<html" in report.read_text(encoding="utf-8")

    password = re.search(r"demo@upstream\.example with password (\S+)", out)
    assert password
    store = Store(str(db))
    try:
        user = Accounts(store).check_password("demo@upstream.example", password.group(1))
        assert user is not None
        workspace = "Demo learning network"
        assert [a[0] for a in AssessmentRepository(store, workspace).assessments()] == [
            "New Operating Models self-assessment"
        ]
    finally:
        store.close()

    again = runner.invoke(app, args)  # a second run adds nothing twice
    assert again.exit_code == 0, again.output
    assert "(new this run: 0)" in " ".join(again.output.split())

    renewed = re.search(r"demo@upstream\.example with password (\S+)", again.output)
    assert renewed and renewed[1] != password[1]  # each run sets a new password
    share = re.search(r"Share link: http://127\.0\.0\.1:8000(/s/[\w-]+)", out)
    assert share
    _every_page_opens(str(db), renewed[1], tmp_path, also=[share[1]])


class _Accessibility(HTMLParser):
    """The checks a page can fail without a person looking at it.

    Every form control has a label (``for``, wrapping, or an ARIA name), every
    image has alternative text, every drawing is named or hidden from screen
    readers, and there is exactly one main heading.
    """

    def __init__(self) -> None:
        super().__init__()
        self.labelled: set[str] = set()
        self.controls: list[tuple[str, str | None, bool]] = []
        self.inside_label = 0
        self.headings = 0
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label":
            self.inside_label += 1
            if a.get("for"):
                self.labelled.add(str(a["for"]))
        elif tag in {"input", "select", "textarea"}:
            if a.get("type") not in {"hidden", "submit", "button", "reset", "image"}:
                named = bool(a.get("aria-label") or a.get("aria-labelledby") or a.get("title"))
                self.controls.append(
                    (f"{tag} {a.get('name')}", a.get("id"), named or bool(self.inside_label))
                )
        elif tag == "h1":
            self.headings += 1
        elif tag == "img" and "alt" not in a:
            self.problems.append(f"an image without alt text: {a.get('src')}")
        elif tag == "svg" and not (
            a.get("aria-hidden") == "true"
            or a.get("role") == "img"
            or a.get("aria-label")
            or a.get("aria-labelledby")
        ):
            self.problems.append("a drawing with no role or name")

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.inside_label -= 1

    def check(self, html: str) -> list[str]:
        self.feed(html)
        for name, id_, named in self.controls:
            if not (named or (id_ is not None and id_ in self.labelled)):
                self.problems.append(f"{name} has no label")
        if self.headings != 1:
            self.problems.append(f"{self.headings} main headings")
        return self.problems


def _every_page_opens(db: str, password: str, tmp_path: Path, also: list[str]) -> None:
    """Sign in as the demo account and follow the app's links: every page opens and passes
    the automatic accessibility checks."""
    client = TestClient(create_app(db, upload_dir=tmp_path / "uploads"))
    with client:
        page = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        form = {"email": "demo@upstream.example", "password": password, "csrf_token": token[1]}
        assert client.post("/login", data=form, follow_redirects=False).status_code == 303
        queue, seen, failed = ["/login", "/workspaces", *also], set[str](), []
        while queue and len(seen) < 150:
            path = queue.pop(0)
            if path in seen:
                continue
            seen.add(path)
            response = client.get(path)
            if response.status_code >= 400:
                failed.append((path, response.status_code))
            if "text/html" in response.headers.get("content-type", ""):
                problems = _Accessibility().check(response.text)
                if problems:
                    failed.append((path, problems))
                links = re.findall(r'href="(/w/[^"#?]+)"', response.text)
                # One or two of each kind of detail page is enough.
                queue += [
                    link
                    for link in links
                    if not re.search(r"/\d+/?$", link)
                    or sum(1 for s in seen if s.rsplit("/", 1)[0] == link.rsplit("/", 1)[0]) < 2
                ]
        assert len(seen) > 40, seen
        assert failed == []
