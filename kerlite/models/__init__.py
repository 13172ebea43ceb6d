"""Models: ``Model`` (functional or subclassed), ``Functional`` and ``Sequential``."""

from kerlite.models.cloning import clone_model, model_from_json
from kerlite.models.functional import Functional
from kerlite.models.model import Model
from kerlite.models.sequential import Sequential
from kerlite.saving.saving_api import load_model, save_model
