"""Turning objects into configs and back, by registry only (``keras.saving``'s core).

- ``object_registration``: the registry of custom classes (``register_keras_serializable``);
- ``name_resolution``: the only place a name read from a file becomes an object;
- ``serialization_lib``: ``serialize_keras_object`` / ``deserialize_keras_object``.

Layers, initializers and the rest register here and serialize their configs; nothing here
imports them. The file formats (``.keras`` zip, HDF5) live higher up, in ``kerlite.saving``.
"""
