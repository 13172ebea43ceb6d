"""LambdaCallback: a callback made from plain functions, for quick one-off hooks."""

from kerlite.callbacks.callback import Callback


class LambdaCallback(Callback):
    """Each argument is a function used as that hook, e.g.
    ``LambdaCallback(on_epoch_end=lambda epoch, logs: print(epoch, logs["loss"]))``.

    Epoch and batch hooks take ``(epoch_or_batch, logs)``; begin/end hooks take ``(logs)``.
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        hooks = dict(kwargs, on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end)
        for name, function in hooks.items():
            if not name.startswith("on_") or not hasattr(Callback, name):
                raise TypeError(f"LambdaCallback got an unknown hook {name!r}. Hooks are "
                                "the on_* methods of keras.callbacks.Callback.")
            if function is not None:
                setattr(self, name, function)
