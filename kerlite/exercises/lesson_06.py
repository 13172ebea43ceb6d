"""Checks for lesson 06 (several inputs and outputs): output shapes, loss weights, a second input."""

import numpy as np

import kerlite as keras
from kerlite.exercises.answers import expect
from kerlite.exercises.model_facts import as_shape, require_model
from kerlite.exercises.registry import exercise


@exercise("06.router_output_shapes")
def router_output_shapes(shapes):
    """The shapes of what router.predict returns for 5 tickets, as a list of two tuples."""
    expect(isinstance(shapes, (list, tuple)) and len(shapes) == 2,
           "predict returns one array per output: give a list of two shapes, one per output")
    priority, department = (as_shape(shape) for shape in shapes)
    expect(priority[0] == 5 and department[0] == 5,
           "predict returns real arrays: their first axis is the number of tickets, not None")
    expect(priority == (5, 1), "the priority head is Dense(1): one logit per ticket")
    expect(department == (5, 4), "the department head has one logit per department")
    return "[(5, 1), (5, 4)]: one array per output, in the order of outputs=[...]"


@exercise("06.loss_weights")
def loss_weights(router, my_total, inputs, targets):
    """``router`` re-compiled with loss_weights priority 0.5, department 1.0; ``my_total`` the
    total loss worked out from the per-output losses of evaluate(..., return_dict=True)."""
    require_model(router, "the re-compiled ticket router")
    expect(isinstance(my_total, (int, float, np.floating)),
           f"my_total should be one number, not a {type(my_total).__name__}")
    results = router.evaluate(inputs, targets, verbose=0, return_dict=True)
    expect("priority_loss" in results and "department_loss" in results,
           "compile the router with one loss per output (a dict keyed by the output names)")
    wanted = 0.5 * results["priority_loss"] + 1.0 * results["department_loss"]
    expect(abs(results["loss"] - wanted) < 1e-3,
           "the router's total loss is not 0.5 · priority_loss + 1.0 · department_loss: "
           "re-compile it with loss_weights={\"priority\": 0.5, \"department\": 1.0}")
    expect(abs(float(my_total) - results["loss"]) < 1e-3,
           "my_total differs from the loss Keras reports: multiply each output's loss by its "
           "weight and add them up")
    return "the total loss is the weighted sum of the per-output losses"


@exercise("06.captioned")
def captioned(model, attributes):
    """The attributes model with a second input, caption (10 numbers), joined before the heads."""
    require_model(model, "the captioned keras.Model")
    shapes = [tuple(tensor.shape) for tensor in model.inputs]
    expect(shapes == [(None, 28, 28, 3), (None, 10)],
           f"the inputs are {shapes}: the image first, then the 10-number caption")
    expect([tuple(tensor.shape) for tensor in model.outputs] == [(None, 3), (None, 3)],
           "two heads of 3 probabilities each, shape and colour")
    extra = model.count_params() - attributes.count_params()
    expect(extra == 2 * 3 * 10,
           f"{extra:+,} parameters compared with the attributes model: only the two heads should "
           f"grow, each by 10 inputs × 3 units. Join the caption just before the heads")
    batch = {"images": np.zeros((2, 28, 28, 3), "float32"), "caption": np.zeros((2, 10), "float32")}
    predictions = model.predict(batch, verbose=0)
    expect([np.asarray(p).shape for p in predictions] == [(2, 3), (2, 3)],
           "predict with a dict keyed by the input names should give two (2, 3) arrays: name "
           "the inputs \"images\" and \"caption\"")
    return f"two inputs, two heads: {model.count_params():,} parameters, 60 more than without caption"
