"""The playground service behind the Jupyter server (a ``jupyter_serverproxy_servers`` entry point).

jupyter-server-proxy serves it at ``<base_url>dqm-playground/`` and strips that prefix (``absolute_url``
is False), so the service sees its own ``/api/v1/...`` paths. It starts on the first request with
:mod:`.service` on a free port. Requests get the local admin token as ``Authorization: Bearer`` here,
on the server side, so the browser never needs it; Jupyter's own authentication guards the proxy.
"""

from __future__ import annotations

import sys

from .locate import playground_home, read_token

PROXY_PATH = "dqm-playground"
START_TIMEOUT_S = 120.0


def auth_header() -> dict[str, str]:
    """The local admin token as a bearer header, read on each request (it appears on first start)."""
    token = read_token(playground_home())
    if not token:
        return {}
    # jupyter-server-proxy formats header values with str.format: keep braces literal.
    return {"Authorization": "Bearer " + token.replace("{", "{{").replace("}", "}}")}


def setup_dqm_playground() -> dict:
    return {
        "command": [sys.executable, "-m", "dqm_playground_jupyterlab.service", "--port", "{port}"],
        "timeout": START_TIMEOUT_S,
        "absolute_url": False,
        "request_headers_override": auth_header,
        # The panels poll leaderboards; that alone should not keep an idle Jupyter server alive.
        "exclude_last_activity_patterns": [r".*/leaderboard$", r".*/submissions$"],
        # The service has no page of its own: the JupyterLab extension is its user interface.
        "launcher_entry": {"enabled": False},
        "new_browser_tab": False,
    }
