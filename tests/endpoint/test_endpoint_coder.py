"""Coding through a model endpoint: the built-in coder's contract, against a fake server."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.coding.endpoint_coder import EndpointCoder
from upstream.endpoint import ChatEndpoint
from upstream.frameworks import load_codebook
from upstream.records.chat import EndpointError
from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.testing.fake_endpoint import FakeEndpoint, FakeReply, user_message
from upstream.workflows.coding import code_file

CODEBOOK = load_codebook("dbe")
runner = CliRunner()

# What the fake model answers, by a word in the item (first match wins).
RULES: list[tuple[str, dict[str, Any]]] = [
    (
        "procurement",
        {"code": "barrier.procurement", "confidence": 90, "quote": "procurement rules"},
    ),
    ("pooled", {"code": "enabler.pooled_budgets", "confidence": 85, "quote": "pooled the budget"}),
    ("invented", {"code": "barrier.made_up_code", "confidence": 95, "quote": "invented"}),
    ("fabricate", {"code": "barrier.legacy_it", "confidence": 90, "quote": "words nobody said"}),
    ("mumble", {"code": "barrier.silos", "confidence": 30, "quote": "mumble"}),
    ("grouping", {"code": "barrier", "confidence": 90, "quote": "grouping"}),
]


def items_of(request: dict[str, Any]) -> list[str]:
    """The numbered items of a coding request, in order."""
    return re.findall(r"^\[\d+\] (.*)$", user_message(request), flags=re.MULTILINE)


def rule_answer(number: int, text: str) -> dict[str, Any]:
    for word, answer in RULES:
        if word in text.lower():
            return {"item": number, **answer}
    return {"item": number, "code": None, "confidence": 0, "quote": ""}


def coding_model(request: dict[str, Any]) -> FakeReply:
    """One JSON line per item; garbage for a batch that mentions 'garble'."""
    items = items_of(request)
    if len(items) > 1 and any("garble" in text for text in items):
        return FakeReply("Sorry, I cannot help with that.")
    lines = [json.dumps(rule_answer(n, text)) for n, text in enumerate(items, start=1)]
    return FakeReply("\n".join(lines))


@pytest.fixture
def server():
    with FakeEndpoint(coding_model) as fake:
        yield fake


def _coder(server: FakeEndpoint, **params: Any) -> EndpointCoder:
    return EndpointCoder(CODEBOOK, ChatEndpoint(server.url, "fake-coder"), **params)


def test_codes_abstains_and_keeps_only_real_quotes(server: FakeEndpoint) -> None:
    texts = [
        "The procurement rules meant the contract took nine months",
        "We pooled the budget with the NHS so the team could act",
        "An invented thing nobody has a code for",
        "Fabricate a reason for the legacy systems",
        "A mumble about working apart",
        "Nothing to say about anything",
        "",
        "A grouping code: barriers in general",
    ]
    coder = _coder(server, threshold=0.5, batch_size=3).fit(texts)
    results = coder.predict(texts)
    assert coder.mode_ == "endpoint" and not coder.calibrated_
    procurement, pooled, invented, fabricated, unsure, nothing, empty, grouping = results
    assert procurement.code == "barrier.procurement"
    assert procurement.confidence == pytest.approx(0.9)
    assert procurement.path == ("barrier", "barrier.procurement")
    assert [c for c, _ in procurement.codes] == ["barrier.procurement", "barrier"]
    assert procurement.explanation.quote == "procurement rules"  # an exact part of the item
    assert pooled.code == "enabler.pooled_budgets"
    assert invented.uncoded and invented.confidence == 0.0  # not a code of the codebook
    assert fabricated.code == "barrier.legacy_it"
    assert fabricated.explanation.quote == ""  # the quote is not in the item: dropped
    assert unsure.uncoded and unsure.confidence == pytest.approx(0.3)  # below the threshold
    assert nothing.uncoded and empty.uncoded
    assert grouping.code == "barrier" and grouping.path == ("barrier",)  # a broader code
    # Seven non-empty items in batches of three; the empty item is never sent.
    assert [len(items_of(r)) for r in server.requests] == [3, 3, 1]
    assert all(r["model"] == "fake-coder" and r["logprobs"] is True for r in server.requests)
    # Asking again about the same texts uses the answers already given.
    coder.predict(texts[:2])
    assert len(server.requests) == 3


def test_a_garbled_batch_is_asked_item_by_item(server: FakeEndpoint) -> None:
    texts = ["garble the procurement rules", "garble pooled the budget"]
    results = _coder(server, batch_size=2).fit(texts).predict(texts)
    assert [r.code for r in results] == ["barrier.procurement", "enabler.pooled_budgets"]
    assert [len(items_of(r)) for r in server.requests] == [2, 1, 1]


def test_token_probability_is_used_where_the_endpoint_gives_it() -> None:
    def respond(request: dict[str, Any]) -> FakeReply:
        prefix = '{"item": 1, "code": "'
        rest = '.procurement", "confidence": 99, "quote": "procurement"}'
        # The model wrote the code's first token with probability 0.6.
        tokens = [(prefix, -0.01), ("barrier", math.log(0.6)), (rest, -0.01)]
        return FakeReply(prefix + "barrier" + rest, tokens=tokens)

    with FakeEndpoint(respond) as fake:
        coder = EndpointCoder(CODEBOOK, ChatEndpoint(fake.url, "m")).fit()
        [result] = coder.predict(["The procurement rules again"])
    assert result.code == "barrier.procurement"
    assert result.confidence == pytest.approx(0.6)  # not the stated 99


def test_confidence_is_calibrated_on_peoples_decisions() -> None:
    # The model always says 90, but people agree with it only one time in four.
    def respond(request: dict[str, Any]) -> FakeReply:
        lines = [
            json.dumps({"item": n, "code": "barrier.procurement", "confidence": 90, "quote": ""})
            for n in range(1, len(items_of(request)) + 1)
        ]
        return FakeReply("\n".join(lines))

    texts = [f"Item number {n} about rules" for n in range(40)]
    labels = ["barrier.procurement" if n % 4 == 0 else "barrier.funding" for n in range(40)]
    with FakeEndpoint(respond) as fake:
        coder = EndpointCoder(CODEBOOK, ChatEndpoint(fake.url, "m"), batch_size=10)
        coder.fit(texts, labels)
        assert coder.calibrated_ and coder.n_labelled_ == 40
        assert coder.agreement_ == pytest.approx(0.25)
        results = coder.predict(texts)
        assert len(fake.requests) == 4  # the decisions' answers are reused
    assert results[0].confidence == pytest.approx(0.25, abs=0.05)  # not the stated 0.9
    assert all(r.uncoded for r in results)  # below the default threshold of 0.5
    assert coder.confidence(0.9) == pytest.approx(results[0].confidence)


def test_an_endpoint_that_never_answers_fails_the_run_plainly() -> None:
    with FakeEndpoint(lambda request: FakeReply(status=503)) as fake:
        endpoint = ChatEndpoint(fake.url, "m", retries=0)
        coder = EndpointCoder(CODEBOOK, endpoint).fit()
        with pytest.raises(EndpointError, match="was not able to answer \\(HTTP 503\\)"):
            coder.predict(["The procurement rules"])


def test_a_batch_that_times_out_leaves_its_items_uncoded_and_says_why() -> None:
    def respond(request: dict[str, Any]) -> FakeReply:
        if any("slow" in text for text in items_of(request)):
            return FakeReply(delay=1.0)
        return coding_model(request)

    with FakeEndpoint(respond) as fake:
        endpoint = ChatEndpoint(fake.url, "m", timeout=0.3, retries=0)
        coder = EndpointCoder(CODEBOOK, endpoint, batch_size=1).fit()
        fast, slow = coder.predict(["The procurement rules", "A slow answer"])
    assert fast.code == "barrier.procurement"
    assert slow.uncoded
    assert coder.failures_ == [
        f"The model endpoint at {fake.url} did not answer within 0.3 seconds. Tried 1 time."
    ]


def _write(path: Path, rows: list[tuple[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "comment"])
        writer.writerows(rows)
    return path


ROWS = [
    ("r1", "The procurement rules meant the contract took nine months to agree"),
    ("r2", "We pooled the budget with the NHS so the team could act quickly"),
    ("r3", "An invented barrier, email me at jo@example.org"),
]


def test_stored_run_records_the_endpoint_model_and_the_quote(
    server: FakeEndpoint, tmp_path: Path
) -> None:
    source = _write(tmp_path / "replies.csv", ROWS)
    with Store(tmp_path / "s.db") as store:
        outcome = code_file(
            source,
            CODEBOOK,
            id_column="ref",
            store=store,
            workspace="W",
            endpoint=ChatEndpoint(server.url, "fake-coder", api_key="sk-secret"),
        )
        assert [r.code for r in outcome.results] == [
            "barrier.procurement",
            "enabler.pooled_budgets",
            None,
        ]
        coding = CodingStore(store.workspace("W"))
        [run] = coding.runs(kind="coding")
        assert run.versions["model"] == "fake-coder"
        assert run.parameters["endpoint"] == server.url
        assert run.parameters["endpoint_model"] == "fake-coder"
        assert run.parameters["mode"] == "endpoint"
        assert "sk-secret" not in json.dumps([run.parameters, run.versions, run.summary])
        stored = coding.codings(run_id=run.id)
        assert {c.coder for c in stored} == {"fake-coder (model endpoint)"}
        assert {c.code for c in stored} == {"barrier.procurement", "enabler.pooled_budgets"}
    # Personal details were redacted before anything was sent.
    sent = " ".join(user_message(r) for r in server.requests)
    assert "jo@example.org" not in sent and "[EMAIL]" in sent


def test_code_command_codes_through_the_endpoint(server: FakeEndpoint, tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ROWS)
    out = tmp_path / "out.csv"
    result = runner.invoke(
        app,
        [
            "code",
            str(source),
            "--codebook",
            "dbe",
            "--output",
            str(out),
            "--id-column",
            "ref",
            "--endpoint",
            server.url,
            "--endpoint-model",
            "fake-coder",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"Using the model endpoint at {server.url} (model fake-coder)" in result.output
    assert "through the model endpoint (confidence as the model stated it" in result.output
    with out.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["code"] for r in rows] == ["barrier.procurement", "enabler.pooled_budgets", ""]


def test_code_command_uses_the_endpoint_setting_and_reports_failure(tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ROWS)
    with FakeEndpoint(lambda request: FakeReply(status=401)) as fake:
        result = runner.invoke(
            app,
            ["code", str(source), "--codebook", "dbe", "--output", str(tmp_path / "o.csv")],
            env={"UPSTREAM_ENDPOINT": fake.url, "UPSTREAM_LLM_API_KEY": "sk-wrong"},
        )
    assert result.exit_code == 1
    assert "refused the request (HTTP 401): check the API key" in result.output
    assert "sk-wrong" not in result.output
    assert fake.requests and fake.requests[0]["_authorization"] == "Bearer sk-wrong"


def test_peoples_decisions_in_the_workspace_calibrate_the_next_run(
    server: FakeEndpoint, tmp_path: Path
) -> None:
    from upstream.workflows.coding import code_workspace

    # 24 items the model codes as procurement at 90; people agree with a third of them.
    rows = [(f"r{n}", f"Item {n}: the procurement rules again") for n in range(24)]
    source = _write(tmp_path / "replies.csv", rows)
    endpoint = ChatEndpoint(server.url, "fake-coder")
    with Store(tmp_path / "s.db") as store:
        first = code_file(source, CODEBOOK, store=store, workspace="W", endpoint=endpoint)
        assert first.coded == 24 and first.n_labelled == 0
        coding = CodingStore(store.workspace("W"))
        codebook_id = coding.codebook_id(CODEBOOK.id)
        assert codebook_id is not None
        items = store.workspace("W").items()
        assert len(items) == 24
        for n, item_id in enumerate(item.id for item in items):
            if n % 3 == 0:
                coding.decide(item_id, codebook_id, "accept", actor="reviewer")
            else:
                coding.decide(item_id, codebook_id, "recode", code="barrier.funding", actor="r")
        second = code_workspace(store, "W", CODEBOOK, endpoint=endpoint)
        assert second.n_labelled == 24
        [run, _] = coding.runs(kind="coding")
        assert run.id == second.run_id
        assert run.parameters["calibrated_on_decisions"] is True
        assert run.parameters["agreement_with_decisions"] == pytest.approx(1 / 3)
    # Stated 0.9, right a third of the time: calibrated below the threshold, so uncoded.
    assert second.coded == 0
    assert all(r.confidence == pytest.approx(1 / 3, abs=0.08) for r in second.results)


def test_review_recodes_through_the_endpoint_when_asked(
    server: FakeEndpoint, tmp_path: Path
) -> None:
    source = _write(tmp_path / "replies.csv", ROWS)
    db = str(tmp_path / "s.db")
    common = ["--codebook", "dbe", "--output", str(tmp_path / "o.csv"), "--db", db]
    coded = runner.invoke(app, ["code", str(source), *common, "--endpoint", server.url])
    assert coded.exit_code == 0, coded.output
    asked = len(server.requests)
    reviewed = runner.invoke(
        app,
        ["review", "--db", db, "--limit", "2", "--reviewer", "jo", "--endpoint", server.url],
        input="a\na\n",
    )
    assert reviewed.exit_code == 0, reviewed.output
    assert "Recorded 2 decision(s) as jo." in reviewed.output
    assert f"Using the model endpoint at {server.url}" in reviewed.output
    assert "Recoded the workspace as run 2" in reviewed.output
    assert "learning from 2 decisions" in reviewed.output
    assert len(server.requests) > asked


def test_answers_that_cannot_be_read_are_left_uncoded_and_counted() -> None:
    with FakeEndpoint(lambda request: FakeReply("I think it is about procurement.")) as fake:
        coder = EndpointCoder(CODEBOOK, ChatEndpoint(fake.url, "m"), batch_size=2).fit()
        results = coder.predict(["The procurement rules", "Pooled budgets", "More rules"])
    assert all(r.uncoded and r.confidence == 0.0 for r in results)
    # Each batch was asked again item by item before giving up on it.
    assert [len(items_of(r)) for r in fake.requests] == [2, 1, 1, 1]
    assert coder.failures_ == [
        "The model's answers about 3 items could not be read as the JSON asked for, "
        "so they were left uncoded."
    ]


def test_code_command_waits_as_long_as_the_timeout_setting_says(tmp_path: Path) -> None:
    source = _write(tmp_path / "replies.csv", ROWS[:1])
    with FakeEndpoint(lambda request: FakeReply("{}", delay=1.5)) as fake:
        result = runner.invoke(
            app,
            ["code", str(source), "--codebook", "dbe", "--output", str(tmp_path / "o.csv")],
            env={"UPSTREAM_ENDPOINT": fake.url, "UPSTREAM_ENDPOINT_TIMEOUT": "1"},
        )
    assert result.exit_code == 1
    assert f"The model endpoint at {fake.url} did not answer within 1 second." in result.output
    assert "Tried 3 times." in result.output
