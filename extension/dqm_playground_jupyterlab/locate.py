"""Where things are: the playground home, its token and running service, the service CLI, tslab.

The home folder follows the service (server/src/config.ts): ``$DQM_PLAYGROUND_HOME``, default
``~/.dqm-playground``. Programs are looked up in the environment first, then on ``PATH``, then in the
project checkout this package lives in (an editable install) or the current folder and its parents.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import urllib.request
from pathlib import Path
from typing import Callable, Mapping, Optional

SERVICE_NAME = "dqm-playground"


class NotFound(RuntimeError):
    """A program the launchers need is missing; the message says how to provide it."""


def playground_home(env: Mapping[str, str] = os.environ) -> Path:
    home = env.get("DQM_PLAYGROUND_HOME") or str(Path.home() / ".dqm-playground")
    return Path(home).expanduser().resolve()


def read_token(home: Path) -> Optional[str]:
    """The local admin token the service wrote (``home/token``), or None before the first start."""
    try:
        token = (home / "token").read_text(encoding="utf8").strip()
    except OSError:
        return None
    return token or None


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_service(home: Path, timeout: float = 3.0) -> Optional[str]:
    """URL of the service that ``home/server.json`` describes, if it is alive and answers as one."""
    try:
        info = json.loads((home / "server.json").read_text(encoding="utf8"))
        url = str(info["url"])
        pid = int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not _pid_alive(pid):
        return None
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/api/v1/health", timeout=timeout) as res:
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
