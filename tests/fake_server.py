"""A real OpenAI-compatible HTTP server on 127.0.0.1, for the faults a mock cannot fake:
bytes that trickle in, a connection closed mid-answer, an answer slow enough to
interrupt. Each test says how to answer with a function of the request."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    delay: float = 0.0
    trickle: float = 0.0
    """Seconds between single bytes of the body; 0 sends it at once."""
    cut_after: int | None = None
    """Close the connection after this many bytes of the body."""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Server:
    url: str
    requests: list[dict[str, Any]] = field(default_factory=list)


def json_answer(data: dict[str, Any], **options: Any) -> Answer:
    return Answer(body=json.dumps(data).encode("utf-8"), **options)


@contextmanager
def serve(answer: Callable[[dict[str, Any]], Answer]) -> Iterator[Server]:
    record = Server(url="")

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            request = json.loads(self.rfile.read(length) or b"{}")
            record.requests.append(request)
            reply = answer(request)
            time.sleep(reply.delay)
            try:
                self.send_response(reply.status)
                self.send_header("content-type", reply.content_type)
                self.send_header("content-length", str(len(reply.body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                if reply.cut_after is not None:
                    self.wfile.write(reply.body[: reply.cut_after])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                if reply.trickle:
                    for byte in reply.body:
                        self.wfile.write(bytes([byte]))
                        self.wfile.flush()
                        time.sleep(reply.trickle)
                else:
                    self.wfile.write(reply.body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    record.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield record
    finally:
        server.shutdown()
        server.server_close()
