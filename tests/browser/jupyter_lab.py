"""Start JupyterLab on 127.0.0.1 for a test, and stop exactly what was started.

The server runs on a copy of the notebooks in a temporary folder, with autosave off,
no news or update checks, and every cell kept in the page (``windowingMode: none``),
so the lessons in the repository are never touched and every output can be queried.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

LAB_SETTINGS = {
    "docmanager-extension/plugin": {"autosave": False},
    "apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    "notebook-extension/tracker": {"windowingMode": "none"},
}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class JupyterLab:
    """``with JupyterLab(notebook_paths) as lab: lab.url_for("05.ipynb")``."""

    def __init__(self, notebooks, startup_timeout=90):
        self.notebooks = [Path(p) for p in notebooks]
        self.startup_timeout = startup_timeout
        self.tmp = Path(tempfile.mkdtemp(prefix="kerlite-lab-"))
        self.root = self.tmp / "notebooks"
        self.port = free_port()
        self.process = None

    def url_for(self, notebook_name):
        return f"http://127.0.0.1:{self.port}/lab/tree/{notebook_name}?reset"

    def __enter__(self):
        self.root.mkdir()
        for notebook in self.notebooks:
            shutil.copy(notebook, self.root / notebook.name)
        for plugin, value in LAB_SETTINGS.items():
            path = self.tmp / "settings" / "@jupyterlab" / f"{plugin}.jupyterlab-settings"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(value))
        env = dict(os.environ, JUPYTERLAB_SETTINGS_DIR=str(self.tmp / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(self.tmp / "workspaces"))
        env.pop("MPLBACKEND", None)  # the kernel must use the inline backend
        command = [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={self.port}",
                   "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token=",
                   "--ServerApp.port_retries=0", "--ServerApp.allow_root=True",
                   f"--ServerApp.root_dir={self.root}", "--LabApp.expose_app_in_browser=True",
                   "--LabApp.news_url=None"]
        self.log_path = self.tmp / "lab.log"
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_until_up()
        return self

    def _wait_until_up(self):
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"jupyter lab exited early:\n{self.log_tail()}")
            try:
                url = f"http://127.0.0.1:{self.port}/api/status"
                with urllib.request.urlopen(url, timeout=1) as reply:
                    json.load(reply)
                    return
            except OSError:
                time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"jupyter lab did not start in {self.startup_timeout} s:\n"
                           f"{self.log_tail()}")

    def log_tail(self, characters=3000):
        try:
            return self.log_path.read_text()[-characters:]
        except OSError:
            return "(no log)"

    def stop(self):
        """Stop the server and its kernels: only the process group started here."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)

    def __exit__(self, *exc_info):
        self.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)
        return False
