"""Training: compile, fit, evaluate, predict (mixed into Model as ``Trainer``)."""
