"""Helpers for the browser tests: a JupyterLab server and a headless Chromium page."""
