"""The model endpoint's HTTP client against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import pytest

from upstream.endpoint import ChatEndpoint, completions_url
from upstream.records.chat import EndpointError
from upstream.testing.fake_endpoint import FakeEndpoint, FakeReply

HELLO = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hello"}]


def _no_wait(_seconds: float) -> None:
    """Retries wait for nothing in tests (the waits themselves are checked separately)."""


def test_answers_and_sends_the_model_seed_and_key_from_the_environment(monkeypatch) -> None:
    monkeypatch.setenv("UPSTREAM_LLM_API_KEY", "sk-from-env")
    with FakeEndpoint(lambda body: FakeReply("Hi there")) as server:
        endpoint = ChatEndpoint(server.url, "tiny-model")
        reply = endpoint.complete(HELLO, max_tokens=20, seed=7)
    assert reply.content == "Hi there"
    assert reply.model == "tiny-model"
    assert reply.tokens == ()
    [request] = server.requests
    assert request["_path"] == "/v1/chat/completions"
    assert request["_authorization"] == "Bearer sk-from-env"
    assert request["model"] == "tiny-model" and request["seed"] == 7
    assert request["max_tokens"] == 20 and request["temperature"] == 0
    assert request["messages"] == HELLO
    assert "sk-from-env" not in repr(endpoint)  # what logs and run records see


def test_no_key_means_no_authorization_header(monkeypatch) -> None:
    monkeypatch.delenv("UPSTREAM_LLM_API_KEY", raising=False)
    with FakeEndpoint(lambda body: FakeReply("ok")) as server:
        ChatEndpoint(server.url + "/chat/completions/", "m").complete(HELLO)
    assert server.requests[0]["_authorization"] is None
    assert server.requests[0]["_path"] == "/v1/chat/completions"


def test_token_logprobs_are_read_when_asked_for() -> None:
    tokens = [("Bar", -0.1), ("rier", -0.2)]
    with FakeEndpoint(lambda body: FakeReply("Barrier", tokens=tokens)) as server:
        reply = ChatEndpoint(server.url, "m").complete(HELLO, logprobs=True)
    assert server.requests[0]["logprobs"] is True
    assert [(t.token, t.logprob) for t in reply.tokens] == tokens


def test_an_endpoint_that_refuses_logprobs_is_asked_again_without() -> None:
    def respond(body: dict) -> FakeReply:
        return FakeReply(status=400) if body.get("logprobs") else FakeReply("plain")

    with FakeEndpoint(respond) as server:
        reply = ChatEndpoint(server.url, "m").complete(HELLO, logprobs=True)
    assert reply.content == "plain"
    assert [("logprobs" in r) for r in server.requests] == [True, False]


def test_a_slow_endpoint_times_out_with_a_plain_message_after_retrying() -> None:
    waits: list[float] = []
    with FakeEndpoint(lambda body: FakeReply("late", delay=1.5)) as server:
        endpoint = ChatEndpoint(server.url, "m", timeout=0.5, retries=2, sleep=waits.append)
        with pytest.raises(EndpointError) as caught:
            endpoint.complete(HELLO)
    message = str(caught.value)
    assert message == (
        f"The model endpoint at {server.url} did not answer within 0.5 seconds. Tried 3 times."
    )
    assert waits == [1.0, 2.0]  # backoff doubles


def test_a_busy_server_is_asked_again_until_it_answers() -> None:
    answers = iter([FakeReply(status=503), FakeReply(status=429), FakeReply("at last")])
    with FakeEndpoint(lambda body: next(answers)) as server:
        reply = ChatEndpoint(server.url, "m", sleep=_no_wait).complete(HELLO)
    assert reply.content == "at last"
    assert len(server.requests) == 3


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (FakeReply(status=401), "refused the request (HTTP 401): check the API key"),
        (FakeReply(status=500), "was not able to answer (HTTP 500). Tried 3 times."),
        (
            FakeReply(raw=b"<html>oops</html>"),
            "gave an answer upstream cannot read: it was not JSON",
        ),
        (FakeReply(raw=b'{"choices": []}'), "it had no choices[0].message.content"),
    ],
)
def test_refusals_and_unreadable_answers_are_plain_errors(reply: FakeReply, message: str) -> None:
    with (
        FakeEndpoint(lambda body: reply) as server,
        pytest.raises(EndpointError, match=r"The model endpoint at http://127\.0\.0\.1") as e,
    ):
        ChatEndpoint(server.url, "m", sleep=_no_wait).complete(HELLO)
    assert message in str(e.value)


def test_a_wrong_path_says_to_check_the_address() -> None:
    with FakeEndpoint(lambda body: FakeReply("never")) as server:
        root = server.url.removesuffix("/v1")
        with pytest.raises(EndpointError, match=r"HTTP 404.*usually ends in /v1"):
            ChatEndpoint(root + "/api", "m").complete(HELLO)


def test_nothing_listening_is_reported_plainly() -> None:
    endpoint = ChatEndpoint("http://127.0.0.1:9/v1", "m", timeout=2, retries=1, sleep=_no_wait)
    with pytest.raises(EndpointError, match="Could not reach the model endpoint at http://127"):
        endpoint.complete(HELLO)


def test_an_address_that_is_not_a_web_address_is_refused_before_sending() -> None:
    with pytest.raises(EndpointError, match="must start with http:// or https://"):
        ChatEndpoint("127.0.0.1:8080", "m")
    assert completions_url("http://h/v1/") == "http://h/v1/chat/completions"
