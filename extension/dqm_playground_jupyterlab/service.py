"""Starts the playground service on the port jupyter-server-proxy picked.

``python -m dqm_playground_jupyterlab.service --port N`` runs ``dqm-playground serve --port N``. When a
service is already running on this home (its ``server.json``; the embedded store admits one process),
it relays TCP connections from port N to that service instead, and exits when the service goes away so
that the proxy starts a fresh one on the next request. When the service cannot start (no CLI, or it
exits), port N answers every request for a while with a 503 whose JSON message says why, so that the
panels show the reason instead of waiting for the proxy's timeout; then this exits and the proxy tries
again.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import signal
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from .locate import NotFound, cli_command, playground_home, running_service

WATCH_INTERVAL_S = 5.0
ERROR_LINGER_S = 30.0


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError):
        pass
    finally:
        writer.close()


async def relay(listen_port: int, target_host: str, target_port: int, home: Path) -> None:
    """Forwards connections to the running service until it stops (then exits with status 1)."""

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        try:
            upstream_r, upstream_w = await asyncio.open_connection(target_host, target_port)
        except OSError:
            client_w.close()
            return
        await asyncio.gather(_pipe(client_r, upstream_w), _pipe(upstream_r, client_w))

    server = await asyncio.start_server(handle, "127.0.0.1", listen_port)
    async with server:
        while True:
            await asyncio.sleep(WATCH_INTERVAL_S)
            if running_service(home) is None:
                print("dqm-playground: the service this relay served has stopped", file=sys.stderr)
                sys.exit(1)


def serve_error(port: int, message: str, seconds: float = ERROR_LINGER_S) -> None:
    """Answers every request on `port` with a 503 and `message` (the service's error format) for `seconds`."""
    body = json.dumps({"statusCode": 503, "error": "Service Unavailable", "message": message}).encode()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            self.send_response(503)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _answer

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.timeout = 0.5
    deadline = time.monotonic() + seconds
    try:
        while time.monotonic() < deadline:
            server.handle_request()
    finally:
        server.server_close()


def run_service(cmd: list[str]) -> tuple[int, str, bool]:
    """Runs the service until it exits; returns its status, its last words and whether it was asked to stop."""
    try:
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    except OSError as err:
        return 127, f"cannot run {cmd[0]}: {err.strerror or err}", False
    tail: collections.deque[str] = collections.deque(maxlen=5)
    stopped = threading.Event()

    def echo() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            sys.stderr.write(line)
            if line.strip():
                tail.append(line.strip())

    reader = threading.Thread(target=echo, daemon=True)
    reader.start()

    def stop(signum: int, _frame: object) -> None:
        stopped.set()
        child.send_signal(signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = child.wait()
    reader.join(timeout=2)
    return code, " ".join(tail), stopped.is_set()


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    home = playground_home()
    url = running_service(home)
    if url:
        target = urlsplit(url)
        print(f"dqm-playground: relaying port {args.port} to the running service at {url}", file=sys.stderr)
        asyncio.run(relay(args.port, target.hostname or "127.0.0.1", target.port or 80, home))
        return
    try:
        cmd = [*cli_command(), "serve", "--port", str(args.port), "--quiet"]
    except NotFound as err:
        print(f"dqm-playground: {err}", file=sys.stderr)
        serve_error(args.port, str(err))
        sys.exit(1)
    code, last_words, stopped = run_service(cmd)
    if stopped:
        return
    # Any other end (even status 0: "already running ... reusing it") is reported, then this exits
    # non-zero so that the proxy starts it again.
    serve_error(args.port, f"dqm-playground serve exited with status {code}" + (f": {last_words}" if last_words else ""))
    sys.exit(1)


if __name__ == "__main__":
    main()
