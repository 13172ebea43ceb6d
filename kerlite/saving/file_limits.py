"""Limits on what a model file may make the loader read, unpack or allocate.

A ``.keras`` file (a zip) or a ``.weights.h5`` file is untrusted input: a few KiB on
disk can declare gigabytes (a "zip bomb" member, an HDF5 dataset that holds only a fill
value). The loader checks every declared size against these limits *before* it reads
anything, and refuses with a ValueError that names the limit and how to raise it.

The defaults are far above what a course model needs. For a large file you trust::

    keras.saving.set_file_limits(max_zip_member_bytes=16 * 2**30)

``set_file_limits(name=None)`` restores a default.
"""

DEFAULT_FILE_LIMITS = {
    # uncompressed bytes of any one member of a .keras zip (model.weights.h5 is the
    # largest; 4 GiB is also where Keras 3 starts to check members), and of any one
    # HDF5 dataset read without a variable to compare it with
    "max_zip_member_bytes": 4 * 2**30,
    # uncompressed / stored bytes of one member. Keras writes members uncompressed and
    # DEFLATE cannot pass about 1032:1, so a larger ratio is a bomb (as in Keras 3).
    # Checked only for members above 1 MiB: small files compress as they like.
    "max_zip_compression_ratio": 100,
    # members of one .keras zip: config, metadata, weights, and the asset files
    "max_zip_members": 10_000,
    # config.json and metadata.json (a vocabulary kept in the config can be a few MiB)
    "max_json_bytes": 64 * 2**20,
    # all files under assets/ together, once unpacked
    "max_assets_bytes": 2**30,
}
RATIO_CHECK_FLOOR_BYTES = 2**20
_limits = dict(DEFAULT_FILE_LIMITS)


def set_file_limits(**limits):
    """Change the limits on model files (``None`` restores a name's default).

    Raise them only for files you trust. Known names: ``max_zip_member_bytes``,
    ``max_zip_compression_ratio``, ``max_zip_members``, ``max_json_bytes``,
    ``max_assets_bytes``.
    """
    for name, value in limits.items():
        if name not in DEFAULT_FILE_LIMITS:
            raise ValueError(f"Unknown file limit {name!r}. Known limits: "
                             f"{sorted(DEFAULT_FILE_LIMITS)}.")
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)
                                  or value < 1):
            raise ValueError(f"{name} must be a positive int or None. "
                             f"Received: {name}={value!r}")
    for name, value in limits.items():
        _limits[name] = DEFAULT_FILE_LIMITS[name] if value is None else value


def get_file_limits():
    """The limits in force, as a dict (a copy)."""
    return dict(_limits)


def file_limit(name):
    return _limits[name]


def limit_error(name, what, requested):
    """The ValueError for ``what`` asking for ``requested`` past the limit ``name``."""
    suggestion = max(int(requested), _limits[name]) * 2
    return ValueError(
        f"Refusing to load {what}: it needs {requested:,} but the limit "
        f"{name}={_limits[name]:,}. Hostile files use such sizes to exhaust memory or "
        "disk. If you trust this file, raise the limit before loading: "
        f"`keras.saving.set_file_limits({name}={suggestion})`.")


def check_limit(name, requested, what):
    """Raise ``limit_error`` when ``requested`` is above the limit ``name``."""
    if requested > _limits[name]:
        raise limit_error(name, what, requested)
