"""Where kerlite's own messages (progress bars, summaries) go.

Normally standard output. After ``keras.config.disable_interactive_logging()`` they
go to Python's ``logging`` instead (logger ``"kerlite"``, level INFO), one record per
line, as Keras 3 routes them to its logger: useful in scripts and batch jobs.
"""

import logging
import sys

LOGGER = logging.getLogger("kerlite")
_interactive = [True]  # keras.config re-exports the three switches below


def enable_interactive_logging():
    """Print progress bars and summaries to standard output (the default)."""
    _interactive[0] = True


def disable_interactive_logging():
    """Send progress bars and summaries to the ``"kerlite"`` logger instead of printing."""
    _interactive[0] = False


def is_interactive_logging_enabled():
    return _interactive[0]


def message_stream():
    """The stream progress bars write to: ``sys.stdout``, or the logger's line stream."""
    return sys.stdout if is_interactive_logging_enabled() else _LOG_LINES


def print_msg(text):
    """Print ``text`` (a finished message), or log it when interactive logging is off."""
    if is_interactive_logging_enabled():
        print(text, end="" if text.endswith("\n") else "\n")
    else:
        for line in text.rstrip("\n").split("\n"):
            LOGGER.info(line)


class _LogLines:
    """A write-only text stream that logs each completed line (no redrawing)."""

    def __init__(self):
        self._pending = ""

    def write(self, text):
        self._pending += text.replace("\r", "\n")
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            if line.strip():
                LOGGER.info(line)

    def flush(self):
        pass

    def isatty(self):
        return False


_LOG_LINES = _LogLines()
