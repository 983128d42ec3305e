"""Theme names and cited summaries from a model endpoint, against a fake server on 127.0.0.1."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.endpoint import ChatEndpoint
from upstream.records.chat import EndpointError
from upstream.records.themes import SummarySentence
from upstream.store import Store
from upstream.store.theme_repository import ThemeStore
from upstream.testing.fake_endpoint import FakeEndpoint, FakeReply, user_message
from upstream.themes import LLMLabeller, ThemeDiscovery
from upstream.themes.labels import OTHER_LABEL
from upstream.themes.llm import clean_label, read_naming

runner = CliRunner()


def first_keyword(request: dict[str, Any]) -> str:
    return user_message(request).split("Keywords: ", 1)[1].split(",")[0].split("\n")[0].strip()


def quote_count(request: dict[str, Any]) -> int:
    return len(re.findall(r"^\[\d+\] ", user_message(request), flags=re.MULTILINE))


def naming_model(request: dict[str, Any]) -> FakeReply:
    """A sentence name; one sentence citing quotes 1 and 2, one citing a quote never sent."""
    n = quote_count(request)
    answer = {
        "name": f"People talk about {first_keyword(request)}.",
        "summary": [
            {"sentence": "Most say the same thing.", "quotes": [1, 2] if n >= 2 else [1]},
            {"sentence": "One says something nobody said.", "quotes": [n + 5]},
            {"sentence": "Another point [1].", "quotes": []},
        ],
    }
    return FakeReply("Here you are:\n```json\n" + json.dumps(answer) + "\n```")


def test_names_and_cited_summaries_come_from_the_endpoint(reply_texts, reply_vectors) -> None:
    with FakeEndpoint(naming_model) as server:
        labeller = LLMLabeller(ChatEndpoint(server.url, "tiny-model", api_key="tok"), seed=5)
        discovery = ThemeDiscovery(labeller=labeller, n_themes=4, subthemes=False)
        discovery.fit(reply_texts, vectors=reply_vectors)
    assert len(server.requests) == 4
    request = server.requests[0]
    assert request["model"] == "tiny-model" and request["seed"] == 5
    assert request["_authorization"] == "Bearer tok"
    assert "Quotes:\n[1] " in user_message(request)
    named = [t for t in discovery.themes_ if t.label != OTHER_LABEL]  # mixed subjects say so
    assert len(named) >= 3
    for theme in named:
        assert theme.label == f"People talk about {theme.keywords[0]}"
        assert theme.named_by == "tiny-model"
        # The sentence citing a quote that was never sent is gone; inline markers count.
        assert [s.text for s in theme.summary] == ["Most say the same thing.", "Another point."]
        quoted = {q.index for q in theme.quotes}
        for sentence in theme.summary:
            assert sentence.quotes and set(sentence.quotes) <= quoted
            assert set(sentence.quotes) <= set(theme.members)
    assert discovery.labeller_.errors_ == []


def test_failures_fall_back_to_upstreams_own_names(reply_texts, reply_vectors) -> None:
    with FakeEndpoint(lambda request: FakeReply(status=500)) as server:
        endpoint = ChatEndpoint(server.url, "tiny-model", retries=0)
        discovery = ThemeDiscovery(labeller=LLMLabeller(endpoint), n_themes=3, subthemes=False)
        discovery.fit(reply_texts, vectors=reply_vectors)
    errors = discovery.labeller_.errors_  # the fitted copy of the labeller
    assert len(errors) == 3 and "HTTP 500" in errors[0]
    plain = ThemeDiscovery(n_themes=3, subthemes=False).fit(reply_texts, vectors=reply_vectors)
    assert [t.label for t in discovery.themes_] == [t.label for t in plain.themes_]
    assert all(t.named_by == "" and t.summary == () for t in discovery.themes_)


def test_malformed_answers_fall_back_and_bare_names_still_work() -> None:
    with pytest.raises(EndpointError, match="not the JSON asked for"):
        read_naming('{"name": "Broken', 3)
    assert read_naming('Label: "Bins and litter."', 3) == ("Bins and litter", ())
    name, summary = read_naming(
        '{"name": "Fix the bins", "summary": ["No citation here.", '
        '{"sentence": "Bins overflow [2, 9].", "quotes": ["#3", "x"]}]}',
        3,
    )
    assert name == "Fix the bins"
    assert summary == (SummarySentence("Bins overflow.", (1, 2)),)
    with pytest.raises(EndpointError):
        clean_label("  \n ")


def test_personal_details_are_redacted_before_they_are_sent() -> None:
    labeller = LLMLabeller(ChatEndpoint("http://127.0.0.1:9/v1", "m"))
    with FakeEndpoint(lambda request: FakeReply('{"name": "Call backs", "summary": []}')) as fake:
        labeller.set_params(endpoint=ChatEndpoint(fake.url, "m"))
        labeller.fit(["Ring me on 07700 900123 or jo@example.org please"])
        labeller.ask(["ring"], ["Ring me on 07700 900123 or jo@example.org please"])
    sent = user_message(fake.requests[0])
    assert "jo@example.org" not in sent and "07700 900123" not in sent
    assert "[EMAIL]" in sent and "[PHONE]" in sent


def test_stored_run_keeps_the_summary_with_item_ids_and_who_named_it(
    tmp_path: Path, replies: list[dict[str, str]]
) -> None:
    path = tmp_path / "replies.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["comment"])
        writer.writerows([row["text"]] for row in replies)
    with FakeEndpoint(naming_model) as server:
        result = runner.invoke(
            app,
            [
                "themes",
                str(path),
                "--output",
                str(tmp_path / "out.csv"),
                "--summary",
                str(tmp_path / "summary.csv"),
                "--themes",
                "4",
                "--embedder",
                "hashing",
                "--db",
                str(tmp_path / "s.db"),
                "--endpoint",
                server.url,
                "--endpoint-model",
                "tiny-model",
            ],
        )
    assert result.exit_code == 0, result.output
    assert f"Using the model endpoint at {server.url} (model tiny-model)" in result.output
    assert "written by a model endpoint (tiny-model)" in result.output
    with (tmp_path / "summary.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    named = [r for r in rows if r["named_by"]]
    assert named and all(r["named_by"] == "tiny-model" for r in named)
    assert all(re.search(r"\(items? \d+", r["summary"]) for r in named)
    with Store(tmp_path / "s.db") as store:
        themes = ThemeStore(store.workspace("default")).themes()
        stored = [t for t in themes if t.named_by]
        assert stored
        for theme in stored:
            quoted = {q["item_id"] for q in theme.details["quotes"]}
            for sentence in theme.details["summary"]:
                assert set(sentence["item_ids"]) <= quoted
            assert theme.visible_summary(quoted) == theme.details["summary"]
            assert theme.visible_summary(set()) == []
