"""Executes the example notebooks top to bottom in fresh tslab kernels against a fresh demo service.

Part of the project's test command: a cell error in any notebook fails the run. The service is the real
one (`dqm-playground demo` then `serve` in a temporary home); the notebooks find it through
DQM_PLAYGROUND_URL and DQM_PLAYGROUND_HOME, as they would in a user's JupyterLab. Afterwards, each
notebook's expectations on the service (for example: its submission is on the leaderboard) are checked
by tests/notebooks/check_leaderboard.py.

    .venv/bin/python tests/notebooks/run_notebooks.py [NOTEBOOK ...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[2]
CLI = ROOT / "server" / "dist" / "cli" / "main.js"
EXAMPLES = ROOT / "examples"
CELL_TIMEOUT_S = 600


def log(message: str) -> None:
    print(f"[notebooks] {message}", file=sys.stderr, flush=True)


def start_service(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Creates the small demo data set in `home` and serves it on a free port; returns (process, url)."""
    env = {**os.environ, "DQM_PLAYGROUND_HOME": str(home)}
    env.pop("DATABASE_URL", None)
    subprocess.run(["node", str(CLI), "demo", "--size", "small"], env=env, check=True)
    server = subprocess.Popen(["node", str(CLI), "serve", "--port", "0", "--quiet"], env=env)
    info_file = home / "server.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"dqm-playground serve exited with code {server.returncode}")
        if info_file.exists():
            url = json.loads(info_file.read_text())["url"]
            try:
                with urllib.request.urlopen(f"{url.rstrip('/')}/api/v1/health", timeout=5) as res:
                    if res.status == 200:
                        return server, url
            except OSError:
                pass
        time.sleep(0.2)
    server.kill()
    raise RuntimeError("the service did not start within 120 s")


def execute(path: Path, out_dir: Path, env: dict[str, str]) -> None:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb,
        kernel_name="tslab",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(path.parent)}},
    )
    # The kernel inherits the environment of this process (where it finds the service and tslab).
    os.environ.update(env)
    started = time.monotonic()
    try:
        client.execute()
    finally:
        nbformat.write(nb, out_dir / path.name)
    log(f"{path.name}: ok in {time.monotonic() - started:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: every examples/*.ipynb")
    parser.add_argument("--keep", type=Path, help="write the executed notebooks and the home here")
    args = parser.parse_args()
    notebooks = args.notebooks or sorted(EXAMPLES.glob("*.ipynb"))
    if not notebooks:
        log("no notebooks found")
        return 1

    work = args.keep or Path(tempfile.mkdtemp(prefix="dqm-notebooks-"))
    home, out_dir = work / "home", work / "executed"
    home.mkdir(parents=True, exist_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)
    server, url = start_service(home)
    log(f"service at {url}, home {home}")
    failures: list[str] = []
    try:
        env = {"DQM_PLAYGROUND_URL": url, "DQM_PLAYGROUND_HOME": str(home)}
        for path in notebooks:
            try:
                execute(path, out_dir, env)
            except CellExecutionError as err:
                failures.append(path.name)
                log(f"{path.name}: FAILED\n{err}")
        if not failures:
            check = [sys.executable, str(Path(__file__).with_name("check_leaderboard.py")), url, str(home)]
            if subprocess.run(check).returncode != 0:
                failures.append("leaderboard check")
    finally:
        server.terminate()
        server.wait(timeout=30)
    if failures:
        # kept for a look at the failing cells' outputs
        log(f"executed notebooks in {out_dir}")
        log(f"failed: {', '.join(failures)}")
        return 1
    log(f"all {len(notebooks)} notebooks ran without errors")
    if args.keep:
        log(f"executed notebooks in {out_dir}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
