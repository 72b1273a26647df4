"""The Python launcher finds the service as the TypeScript side does (api-types/src/wire/discovery.ts).

Both sides check the cases of api-types/test/fixtures/discovery.json (the TypeScript side in
api-types/test/discovery.test.ts): the names of the environment variables and files, the home rule,
which server.json texts name a server, how the token file is read. Then Node itself writes a
server.json with the TypeScript code and resolves the fixture's homes, and this side reads and
resolves the same (skipped when Node or the built api-types package is missing).

Run with: .venv/bin/python -m unittest discover -s extension/test_python
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from dqm_playground_jupyterlab import locate

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = json.loads((ROOT / "api-types" / "test" / "fixtures" / "discovery.json").read_text(encoding="utf8"))
DISCOVERY_JS = ROOT / "api-types" / "dist" / "wire" / "discovery.js"
NODE = shutil.which("node")


def expected_home(template: str) -> Path:
    return Path(template.replace("{userhome}", os.path.expanduser("~")).replace("{cwd}", os.getcwd()))


class FixtureTest(unittest.TestCase):
    def test_names(self) -> None:
        names = FIXTURE["names"]
        self.assertEqual(locate.HOME_ENV, names["homeEnv"])
        self.assertEqual(locate.DEFAULT_HOME_DIR, names["defaultHomeDir"])
        self.assertEqual(locate.SERVER_FILE, names["serverFile"])
        self.assertEqual(locate.TOKEN_FILE, names["tokenFile"])
        self.assertEqual(locate.SERVICE_NAME, FIXTURE["serviceName"])
        self.assertEqual(locate.HEALTH_PATH, FIXTURE["healthPath"])

    def test_home(self) -> None:
        for case in FIXTURE["home"]:
            with self.subTest(env=case["env"]):
                self.assertEqual(locate.playground_home(case["env"]), expected_home(case["expected"]))

    def test_server_json(self) -> None:
        for case in FIXTURE["serverJson"]["valid"]:
            with self.subTest(text=case["text"]):
                info = locate.parse_server_info(case["text"])
                self.assertIsNotNone(info)
                assert info is not None
                self.assertEqual((info["url"], info["pid"]), (case["url"], case["pid"]))
        for text in FIXTURE["serverJson"]["invalid"]:
            with self.subTest(text=text):
                self.assertIsNone(locate.parse_server_info(text))

    def test_token(self) -> None:
        for case in FIXTURE["token"]:
            with self.subTest(content=case["content"]), tempfile.TemporaryDirectory() as d:
                if case["content"] is not None:
                    (Path(d) / locate.TOKEN_FILE).write_text(case["content"], encoding="utf8")
                self.assertEqual(locate.read_token(Path(d)), case["expected"])


NODE_SCRIPT = """
const d = require(process.argv[1]);
const [home, cases] = [process.argv[2], JSON.parse(process.argv[3])];
d.writeServerInfo({ url: "http://127.0.0.1:8750", pid: 4242, home, engine: "pglite", startedAt: "2026-01-02T03:04:05.678Z" });
process.stdout.write(JSON.stringify({
  homes: cases.map((env) => d.playgroundHome(env)),
  read: d.readServerInfo(home),
}));
"""


@unittest.skipUnless(NODE and DISCOVERY_JS.is_file(), "needs node and the built api-types package (npm run build)")
class NodeAgreementTest(unittest.TestCase):
    def test_python_reads_what_node_writes_and_resolves_homes_alike(self) -> None:
        envs = [case["env"] for case in FIXTURE["home"]]
        with tempfile.TemporaryDirectory() as d:
            home = Path(d)
            out = subprocess.run(
                [str(NODE), "-e", NODE_SCRIPT, str(DISCOVERY_JS), str(home), json.dumps(envs)],
                check=True,
                capture_output=True,
                text=True,
                timeout=60,
            )
            result = json.loads(out.stdout)
            written = json.loads((home / locate.SERVER_FILE).read_text(encoding="utf8"))
            self.assertEqual(list(written), FIXTURE["serverJson"]["fields"])
            info = locate.read_server_info(home)
            self.assertEqual(info, written)
            self.assertEqual(info, result["read"])
        for env, node_home in zip(envs, result["homes"]):
            with self.subTest(env=env):
                self.assertEqual(locate.playground_home(env), Path(node_home))


if __name__ == "__main__":
    unittest.main()
