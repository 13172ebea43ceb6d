"""The ``assets/`` folder of a ``.keras`` file: files that objects write themselves.

An object with ``save_assets(dir_path)`` (a lookup layer's vocabulary, your own layer's
data) gets the folder ``assets/<its path>/`` to write into, e.g.
``assets/layers/string_lookup/vocabulary.txt``, the same inner paths as Keras 3. On
loading, ``load_assets(dir_path)`` gets the same folder back, unpacked (with the checks
of ``keras_zip.extract_folder``) into a temporary folder that is removed afterwards.
"""

import os

ASSETS_DIRNAME = "assets"


class AssetsFolder:
    """The asset folders of one save or load, below ``root`` (a real folder)."""

    def __init__(self, root):
        self.root = os.path.realpath(root)

    def _full_path(self, path):
        parts = [part for part in path.split("/") if part]
        if any(part in (".", "..") or "\\" in part for part in parts):
            raise ValueError(f"Invalid asset path {path!r}: it escapes the assets folder.")
        full = os.path.join(self.root, *parts)
        if os.path.commonpath([os.path.realpath(full), self.root]) != self.root:
            raise ValueError(f"Invalid asset path {path!r}: it escapes the assets folder.")
        return full

    def make(self, path):
        """The folder for the object at ``path``, created (for ``save_assets``)."""
        full = self._full_path(path)
        os.makedirs(full, exist_ok=True)
        return full

    def get(self, path):
        """The folder for the object at ``path`` (for ``load_assets``), or None."""
        full = self._full_path(path)
        return full if os.path.isdir(full) else None


def add_to_zip(archive, folder, name_in_zip=ASSETS_DIRNAME):
    """Write every file below ``folder`` into ``archive`` as ``assets/<relative path>``."""
    for current, subfolders, files in os.walk(folder):
        subfolders.sort()
        for filename in sorted(files):
            path = os.path.join(current, filename)
            relative = os.path.relpath(path, folder).replace(os.sep, "/")
            archive.write(path, f"{name_in_zip}/{relative}")
