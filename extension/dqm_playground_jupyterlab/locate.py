"""Where things are: the playground home, its token and running service, the service CLI, tslab.

The home folder, ``server.json`` and the token file follow the wire contract's service discovery
(api-types/src/wire/discovery.ts), which the service, its CLI and the kernel library use: the home is
``$DQM_PLAYGROUND_HOME`` when set and not empty, else ``~/.dqm-playground``, made absolute and
normalised like Node's ``path.resolve`` (no ``~`` expansion, no symbolic links resolved), so that this
launcher finds the server.json and token of the service it starts. api-types/test/fixtures/discovery.json
holds the cases both sides check (extension/test_python/test_discovery_agreement.py). Programs are
looked up in the environment first, then on ``PATH``, then in the project checkout this package lives
in (an editable install) or the current folder and its parents.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import urllib.request
from pathlib import Path
from typing import Callable, Mapping, Optional

# The names of the wire contract (api-types/src/wire/constants.ts: SERVICE_NAME, API_PREFIX, DISCOVERY).
SERVICE_NAME = "dqm-playground"
HEALTH_PATH = "api/v1/health"
HOME_ENV = "DQM_PLAYGROUND_HOME"
DEFAULT_HOME_DIR = ".dqm-playground"
SERVER_FILE = "server.json"
TOKEN_FILE = "token"


class NotFound(RuntimeError):
    """A program the launchers need is missing; the message says how to provide it."""


def playground_home(env: Mapping[str, str] = os.environ) -> Path:
    """``$DQM_PLAYGROUND_HOME`` when set and not empty, else ``~/.dqm-playground``, as Node's path.resolve makes it."""
    home = env.get(HOME_ENV) or os.path.join(os.path.expanduser("~"), DEFAULT_HOME_DIR)
    return Path(os.path.abspath(home))


def read_token(home: Path) -> Optional[str]:
    """The local admin token the service wrote (``home/token``), or None before the first start."""
    try:
        token = (home / TOKEN_FILE).read_text(encoding="utf8").strip()
    except OSError:
        return None
    return token or None


def parse_server_info(text: str) -> Optional[dict]:
    """A ``server.json`` text, or None unless it is an object with a non-empty string ``url`` and a positive integer ``pid``."""
    try:
        info = json.loads(text)
    except ValueError:
        return None
    if not isinstance(info, dict):
        return None
    url, pid = info.get("url"), info.get("pid")
    if not isinstance(url, str) or not url:
        return None
    # JSON has one number type: 4242.0 is the integer 4242 there, as for JavaScript's Number.isInteger
    if isinstance(pid, bool) or not isinstance(pid, (int, float)):
        return None
    if isinstance(pid, float):
        if not pid.is_integer():
            return None
        pid = int(pid)
    if pid <= 0:
        return None
    return {**info, "pid": pid}


def read_server_info(home: Path) -> Optional[dict]:
    """The home's ``server.json`` (url, pid, home, engine, startedAt), or None when missing or not a server's."""
    try:
        text = (home / SERVER_FILE).read_text(encoding="utf8")
    except (OSError, ValueError):
        return None
    return parse_server_info(text)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except (OverflowError, OSError):
        return False
    return True


def running_service(home: Path, timeout: float = 3.0) -> Optional[str]:
    """URL of the service that ``home/server.json`` describes, if it is alive and answers as one."""
    info = read_server_info(home)
    if info is None:
        return None
    url, pid = info["url"], info["pid"]
    if not _pid_alive(pid):
        return None
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/" + HEALTH_PATH, timeout=timeout) as res:
            body = json.loads(res.read().decode("utf8"))
    except (OSError, ValueError):
        return None
    return url if isinstance(body, dict) and body.get("service") == SERVICE_NAME else None


def _search_roots() -> list[Path]:
    roots: list[Path] = []
    for start in (Path(__file__).resolve().parent, Path.cwd().resolve()):
        for folder in (start, *start.parents):
            if folder not in roots:
                roots.append(folder)
    return roots


def _node() -> str:
    node = os.environ.get("DQM_PLAYGROUND_NODE") or shutil.which("node")
    if not node:
        raise NotFound("Node.js (node) is not on PATH; set DQM_PLAYGROUND_NODE to its path")
    return node


def _command(variable: str, name: str, in_checkout: Callable[[Path], list[str] | None], missing: str) -> list[str]:
    """$variable (a command line), else `name` on PATH, else the first command found from a search root."""
    configured = os.environ.get(variable)
    if configured:
        return shlex.split(configured)
    on_path = shutil.which(name)
    if on_path:
        return [on_path]
    for root in _search_roots():
        found = in_checkout(root)
        if found:
            return found
    raise NotFound(missing)


def _cli_in(root: Path) -> list[str] | None:
    for candidate in (
        root / "server" / "dist" / "cli" / "main.js",
        root / "node_modules" / "@dqm-playground" / "server" / "dist" / "cli" / "main.js",
    ):
        if candidate.is_file():
            return [_node(), str(candidate)]
    return None


def cli_command() -> list[str]:
    """The command line of the service CLI: $DQM_PLAYGROUND_CLI, `dqm-playground`, or the checkout's."""
    return _command(
        "DQM_PLAYGROUND_CLI",
        "dqm-playground",
        _cli_in,
        "the DQM Playground service CLI was not found: install it (npm install -g @dqm-playground/server), "
        "build the project checkout (npm run build), or set DQM_PLAYGROUND_CLI to its command line",
    )


def tslab_command() -> list[str]:
    """The tslab executable: $DQM_PLAYGROUND_TSLAB, `tslab` on PATH, or node_modules/.bin/tslab."""

    def in_checkout(root: Path) -> list[str] | None:
        candidate = root / "node_modules" / ".bin" / "tslab"
        return [str(candidate)] if candidate.is_file() else None

    return _command(
        "DQM_PLAYGROUND_TSLAB",
        "tslab",
        in_checkout,
        "tslab was not found: npm install tslab (globally or in the project), or set DQM_PLAYGROUND_TSLAB",
    )
