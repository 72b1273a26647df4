"""DQM Playground in JupyterLab.

The prebuilt JupyterLab extension (``labextension/``), the playground service behind the Jupyter server
(the ``jupyter_serverproxy_servers`` entry point in :mod:`.proxy`), and the launcher of the tslab
TypeScript kernel (:mod:`.tslab_kernel`).
"""

__version__ = "0.1.0"


def _jupyter_labextension_paths():
    return [{"src": "labextension", "dest": "@dqm-playground/jupyterlab"}]
