"""Callbacks (``keras.callbacks``): hooks into fit / evaluate / predict."""

from kerlite.callbacks.backup_and_restore import BackupAndRestore
from kerlite.callbacks.callback import Callback
from kerlite.callbacks.callback_list import CallbackList
from kerlite.callbacks.csv_logger import CSVLogger
from kerlite.callbacks.early_stopping import EarlyStopping
from kerlite.callbacks.history import History
from kerlite.callbacks.lambda_callback import LambdaCallback
from kerlite.callbacks.learning_rate_scheduler import LearningRateScheduler
from kerlite.callbacks.model_checkpoint import ModelCheckpoint
from kerlite.callbacks.progbar_logger import ProgbarLogger
from kerlite.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from kerlite.callbacks.terminate_on_nan import TerminateOnNaN
