"""Launches the tslab TypeScript kernel for the kernel spec this package installs (kernels/tslab).

``python -m dqm_playground_jupyterlab.tslab_kernel CONNECTION_FILE`` runs ``tslab kernel --config-path
CONNECTION_FILE`` with the tslab that :func:`.locate.tslab_command` finds.
"""

from __future__ import annotations

import os
import sys

from .locate import NotFound, tslab_command


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        print("usage: python -m dqm_playground_jupyterlab.tslab_kernel CONNECTION_FILE", file=sys.stderr)
        sys.exit(2)
    try:
        cmd = [*tslab_command(), "kernel", "--config-path", argv[0]]
    except NotFound as err:
        print(f"tslab kernel: {err}", file=sys.stderr)
        sys.exit(2)
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    main(sys.argv[1:])
