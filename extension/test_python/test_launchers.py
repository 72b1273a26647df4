"""Tests of the Python side: where things are found, the proxy entry point, the service launcher.

Run with: .venv/bin/python -m unittest discover -s extension/test_python
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path
from unittest import mock

from dqm_playground_jupyterlab import _jupyter_labextension_paths, locate, proxy, service


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


class LocateTest(unittest.TestCase):
    def test_home_follows_the_environment(self) -> None:
        self.assertEqual(locate.playground_home({"DQM_PLAYGROUND_HOME": "/tmp/x/../y"}), Path("/tmp/y"))
        self.assertEqual(locate.playground_home({}), (Path.home() / ".dqm-playground").resolve())

    def test_token_is_read_stripped_or_none(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            home = Path(d)
            self.assertIsNone(locate.read_token(home))
            (home / "token").write_text("abc\n")
            self.assertEqual(locate.read_token(home), "abc")
            (home / "token").write_text("\n")
            self.assertIsNone(locate.read_token(home))

    def test_no_running_service_without_a_live_server_json(self) -> None:
        with tempfile.TemporaryDirectory() as d:
            home = Path(d)
            self.assertIsNone(locate.running_service(home))
            (home / "server.json").write_text("not json")
            self.assertIsNone(locate.running_service(home))
            dead = subprocess.Popen([sys.executable, "-c", "pass"])
            dead.wait()
            (home / "server.json").write_text(json.dumps({"url": "http://127.0.0.1:9", "pid": dead.pid}))
            self.assertIsNone(locate.running_service(home))
            (home / "server.json").write_text(json.dumps({"url": "http://127.0.0.1:9", "pid": os.getpid()}))
            self.assertIsNone(locate.running_service(home, timeout=0.5))

    def test_commands_from_the_environment_come_first(self) -> None:
        with mock.patch.dict(os.environ, {"DQM_PLAYGROUND_CLI": "node '/a b/main.js'", "DQM_PLAYGROUND_TSLAB": "/x/tslab"}):
            self.assertEqual(locate.cli_command(), ["node", "/a b/main.js"])
            self.assertEqual(locate.tslab_command(), ["/x/tslab"])

    def test_the_checkout_is_searched(self) -> None:
        env = {k: v for k, v in os.environ.items() if k not in ("DQM_PLAYGROUND_CLI", "DQM_PLAYGROUND_TSLAB")}
        with tempfile.TemporaryDirectory() as d, mock.patch.dict(os.environ, env, clear=True), mock.patch.object(
            locate.shutil, "which", lambda name: "/usr/bin/node" if name == "node" else None
        ), mock.patch.object(locate, "_search_roots", lambda: [Path(d)]):
            with self.assertRaisesRegex(locate.NotFound, "the DQM Playground service CLI was not found"):
                locate.cli_command()
            with self.assertRaisesRegex(locate.NotFound, "tslab was not found"):
                locate.tslab_command()
            cli = Path(d) / "server" / "dist" / "cli" / "main.js"
            cli.parent.mkdir(parents=True)
            cli.write_text("")
            tslab = Path(d) / "node_modules" / ".bin" / "tslab"
            tslab.parent.mkdir(parents=True)
            tslab.write_text("")
            self.assertEqual(locate.cli_command(), ["/usr/bin/node", str(cli)])
            self.assertEqual(locate.tslab_command(), [str(tslab)])


class ProxyTest(unittest.TestCase):
    def test_entry_point_starts_the_launcher_on_the_proxy_port(self) -> None:
        config = proxy.setup_dqm_playground()
        self.assertEqual(config["command"], [sys.executable, "-m", "dqm_playground_jupyterlab.service", "--port", "{port}"])
        self.assertFalse(config["absolute_url"])
        self.assertEqual(config["launcher_entry"], {"enabled": False})
        self.assertIs(config["request_headers_override"], proxy.auth_header)

    def test_the_entry_point_is_valid_for_jupyter_server_proxy(self) -> None:
        from jupyter_server_proxy.config import ServerProcess

        process = ServerProcess(name=proxy.PROXY_PATH, **proxy.setup_dqm_playground())
        self.assertEqual(process.timeout, proxy.START_TIMEOUT_S)

    def test_auth_header_reads_the_token_on_each_call(self) -> None:
        with tempfile.TemporaryDirectory() as d, mock.patch.dict(os.environ, {"DQM_PLAYGROUND_HOME": d}):
            self.assertEqual(proxy.auth_header(), {})
            Path(d, "token").write_text("t{1}\n")
            self.assertEqual(proxy.auth_header(), {"Authorization": "Bearer t{{1}}"})

    def test_labextension_path(self) -> None:
        self.assertEqual(_jupyter_labextension_paths(), [{"src": "labextension", "dest": "@dqm-playground/jupyterlab"}])


class ServiceTest(unittest.TestCase):
    def test_error_server_answers_with_the_reason(self) -> None:
        port = free_port()
        thread = threading.Thread(target=service.serve_error, args=(port, "no CLI here", 3.0), daemon=True)
        thread.start()
        time.sleep(0.3)
        status, body = get(f"http://127.0.0.1:{port}/api/v1/datasets")
        self.assertEqual(status, 503)
        self.assertEqual(body, {"statusCode": 503, "error": "Service Unavailable", "message": "no CLI here"})
        thread.join(5)

    def test_a_service_that_cannot_run_is_reported(self) -> None:
        code, words, stopped = service.run_service(["/nonexistent/dqm-playground"])
        self.assertEqual(code, 127)
        self.assertIn("cannot run /nonexistent/dqm-playground", words)
        self.assertFalse(stopped)

    def test_a_service_that_exits_is_reported_with_its_last_words(self) -> None:
        code, words, _ = service.run_service([sys.executable, "-c", "import sys; print('store is locked'); sys.exit(3)"])
        self.assertEqual((code, words), (3, "store is locked"))

    def test_launcher_serves_the_failure_when_the_service_exits(self) -> None:
        port = free_port()
        with tempfile.TemporaryDirectory() as d:
            env = {
                **os.environ,
                "DQM_PLAYGROUND_HOME": d,
                "DQM_PLAYGROUND_CLI": f"{sys.executable} -c \"import sys; print('boom'); sys.exit(2)\"",
            }
            launcher = subprocess.Popen(
                [sys.executable, "-m", "dqm_playground_jupyterlab.service", "--port", str(port)],
                env=env,
                stderr=subprocess.DEVNULL,
            )
            try:
                for _ in range(50):
                    try:
                        status, body = get(f"http://127.0.0.1:{port}/")
                        break
                    except OSError:
                        time.sleep(0.1)
                self.assertEqual(status, 503)
                self.assertEqual(body["message"], "dqm-playground serve exited with status 2: boom")
            finally:
                launcher.kill()
                launcher.wait()


if __name__ == "__main__":
    unittest.main()
