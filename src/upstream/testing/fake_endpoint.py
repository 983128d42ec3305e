"""A small OpenAI-compatible chat server on 127.0.0.1, for tests of the model endpoint.

It speaks real HTTP (``POST /v1/chat/completions``) from a thread, records
every request, and answers with whatever the test's ``respond`` function
returns: a reply text (optionally with token log-probabilities), an HTTP
error, a body that is not JSON, or an answer that comes too late.

    with FakeEndpoint(lambda request: FakeReply("Library opening hours")) as server:
        ChatEndpoint(server.url, "tiny").complete([...])
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

__all__ = ["FakeEndpoint", "FakeReply", "user_message"]


@dataclass
class FakeReply:
    """What the fake server answers to one request.

    Attributes:
        content: The assistant message.
        status: HTTP status; anything but 200 sends an error body.
        delay: Seconds to wait before answering (longer than the client's
            timeout makes a timeout).
        raw: Send these bytes as the body instead of a chat completion.
        tokens: Tokens with their log-probabilities, sent as OpenAI's
            ``logprobs.content`` when the request asked for them; they should
            spell ``content`` exactly.
    """

    content: str = ""
    status: int = 200
    delay: float = 0.0
    raw: bytes | None = None
    tokens: list[tuple[str, float]] = field(default_factory=list)


Respond = Callable[[dict[str, Any]], FakeReply]


def user_message(request: dict[str, Any]) -> str:
    """The last user message of a recorded request."""
    messages = [m for m in request.get("messages", []) if m.get("role") == "user"]
    return str(messages[-1]["content"]) if messages else ""


class FakeEndpoint:
    """An OpenAI-compatible server in a thread; use it as a context manager.

    Args:
        respond: Turns each request's JSON body into the reply to send.

    Attributes:
        url: The API root to give the client, ``http://127.0.0.1:PORT/v1``.
        requests: Every request's JSON body, with ``_path`` and ``_authorization`` added.
    """

    def __init__(self, respond: Respond) -> None:
        self.respond = respond
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/v1"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeEndpoint:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        endpoint = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                body["_path"] = self.path
                body["_authorization"] = self.headers.get("Authorization")
                with endpoint._lock:
                    endpoint.requests.append(body)
                if self.path != "/v1/chat/completions":
                    self._send(404, b'{"error": "not found"}')
                    return
                reply = endpoint.respond(body)
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.raw is not None:
                    self._send(reply.status, reply.raw)
                    return
                if reply.status != 200:
                    self._send(reply.status, b'{"error": {"message": "failed"}}')
                    return
                choice: dict[str, Any] = {
                    "index": 0,
                    "finish_reason": "stop",
                    "message": {"role": "assistant", "content": reply.content},
                }
                if body.get("logprobs") and reply.tokens:
                    choice["logprobs"] = {
                        "content": [{"token": t, "logprob": p} for t, p in reply.tokens]
                    }
                answer = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion",
                    "model": body.get("model", "fake"),
                    "choices": [choice],
                }
                self._send(200, json.dumps(answer).encode("utf-8"))

            def _send(self, status: int, payload: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (a timeout test)

            def log_message(self, *_args: object) -> None:
                pass

        return Handler
