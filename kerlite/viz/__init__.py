"""Pictures and tables of a model: ``summary()`` rows, text and HTML, ``plot_model``.

Everything here reads a model through its attributes (``layers``, ``inputs``, nodes),
never by checking its class, so it sits below ``kerlite.models`` and works for any object
that looks like a model. The widgets build on these drawings.
"""
