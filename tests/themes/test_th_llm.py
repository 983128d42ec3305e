"""The optional LLM labeller against a small OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest

from upstream.themes import LLMLabeller, ThemeDiscovery
from upstream.themes.labels import OTHER_LABEL
from upstream.themes.llm import LLMError, clean_label


class _FakeOpenAI(BaseHTTPRequestHandler):
    """Answers /v1/chat/completions like an OpenAI-compatible server would."""

    requests: ClassVar[list[dict[str, object]]] = []
    status = 200

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(
            {"path": self.path, "auth": self.headers.get("Authorization"), **body}
        )
        if self.path != "/v1/chat/completions" or type(self).status != 200:
            self.send_response(type(self).status if type(self).status != 200 else 404)
            self.end_headers()
            return
        prompt = body["messages"][-1]["content"]
        first_keyword = prompt.split("Keywords: ", 1)[1].split(",")[0].split("\n")[0].strip()
        answer = {
            "id": "chatcmpl-1",
            "object": "chat.completion",
            "model": body["model"],
            "choices": [
                {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {
                        "role": "assistant",
                        "content": f'Label: "About {first_keyword}."\n',
                    },
                }
            ],
        }
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *_args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _FakeOpenAI.requests = []
    _FakeOpenAI.status = 200
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _FakeOpenAI)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()


def test_labels_come_from_the_endpoint(server, reply_texts, reply_vectors):
    labeller = LLMLabeller(server, "tiny-model", api_key="secret-token", seed=5)
    discovery = ThemeDiscovery(labeller=labeller, n_themes=4, subthemes=False)
    discovery.fit(reply_texts, vectors=reply_vectors)
    assert len(_FakeOpenAI.requests) == 4
    request = _FakeOpenAI.requests[0]
    assert request["model"] == "tiny-model" and request["seed"] == 5
    assert request["auth"] == "Bearer secret-token"
    messages = request["messages"]
    assert isinstance(messages, list) and "What people said:" in messages[-1]["content"]
    named = [t for t in discovery.themes_ if t.label != OTHER_LABEL]  # mixed subjects say so
    assert len(named) >= 3
    for theme in named:
        assert theme.label == f"About {theme.keywords[0]}"  # cleaned: no prefix, quotes or stop
    assert discovery.labeller_.errors_ == []


def test_failures_fall_back_to_extractive_labels(server, reply_texts, reply_vectors):
    _FakeOpenAI.status = 500
    labeller = LLMLabeller(server, "tiny-model", timeout=5)
    discovery = ThemeDiscovery(labeller=labeller, n_themes=3, subthemes=False)
    discovery.fit(reply_texts, vectors=reply_vectors)
    errors = discovery.labeller_.errors_  # the fitted copy of the labeller
    assert len(errors) == 3 and "HTTP 500" in errors[0]
    plain = ThemeDiscovery(n_themes=3, subthemes=False).fit(reply_texts, vectors=reply_vectors)
    assert [t.label for t in discovery.themes_] == [t.label for t in plain.themes_]


def test_unreachable_endpoint_is_reported():
    labeller = LLMLabeller("http://127.0.0.1:9/v1", "m", timeout=2).fit(["a b c"])
    with pytest.raises(LLMError, match="could not reach"):
        labeller.ask(["bins"], ["Empty the bins"])
    with pytest.raises(LLMError):
        clean_label("  \n ")
