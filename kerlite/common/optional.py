"""Optional dependencies of the widgets, and where the code is running.

The widgets use matplotlib, ipywidgets, IPython, tqdm and the Graphviz ``dot`` program
when they are installed. None of them is imported when kerlite is imported: each view
asks for what it needs at the moment it needs it, through ``require``, and a missing
package gives one clear message saying what to install instead of a traceback deep
inside a notebook.
"""

import importlib
import shutil
import sys

# import name -> (pip name, conda-forge name)
_INSTALL_NAMES = {
    "matplotlib": ("matplotlib", "matplotlib"),
    "ipywidgets": ("ipywidgets", "ipywidgets"),
    "IPython": ("ipython", "ipython"),
    "tqdm": ("tqdm", "tqdm"),
}


def install_hint(module_name):
    """``"pip install ipywidgets"`` (or the conda-forge command) for an import name."""
    pip_name, conda_name = _INSTALL_NAMES.get(module_name, (module_name, module_name))
    return (f"`pip install {pip_name}` (or `conda install -c conda-forge {conda_name}`), "
            "then restart the kernel")


def require(module_name, purpose):
    """Import ``module_name``, or raise ImportError that says what to install.

    Args:
        module_name: e.g. ``"matplotlib"`` or ``"ipywidgets"``.
        purpose: what the caller wanted to do, for the message ("draw learning curves").
    """
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        raise ImportError(
            f"kerlite needs `{module_name}` to {purpose}, and it is not installed. "
            f"Install it with {install_hint(module_name)}. "
            f"(The original error was: {error})"
        ) from error


def is_available(module_name):
    """True when ``module_name`` can be imported (it is imported to find out)."""
    try:
        importlib.import_module(module_name)
        return True
    except ImportError:
        return False


def in_notebook():
    """True inside a Jupyter kernel (JupyterLab, Notebook, VS Code, nbclient...).

    IPython is never imported here: a kernel has always loaded it already, so when it
    is not in ``sys.modules`` we are in a plain Python process.
    """
    ipython_module = sys.modules.get("IPython")
    if ipython_module is None:
        return False
    shell = ipython_module.get_ipython()
    if shell is None:
        return False
    return type(shell).__name__ == "ZMQInteractiveShell" or hasattr(shell, "kernel")


def dot_program():
    """The path of Graphviz's ``dot`` program, or None when it is not installed."""
    return shutil.which("dot")


DOT_INSTALL_HINT = (
    "Install Graphviz's `dot` program for the full graph layout: `apt-get install "
    "graphviz`, `conda install -c conda-forge graphviz`, or `pip install graphviz-pure` "
    "and link its `graphviz-pure` program as `dot` on your PATH."
)
