"""A tiny neural-network library for learning how neurons learn.

It grows the notebook's ``Neuron`` into small networks trained on binary
numbers. The aim is to be simple, readable and easy to modify, not fast:
pure Python and its standard library only (it runs in the browser under
Pyodide), one small module per idea, and the notebook's notation throughout:

    x inputs, w weights, b bias, z = w.x + b, y = f(z) output, t target,
    C = sum (y - t)^2 cost, and the derivatives dC/dy, dy/dz, dC/dz, dC/dw,
    dC/db, dC/dx that backpropagation computes.

Modules: ``activations`` (f with dy/dz), ``cost`` (C with dC/dy or dC/dz: the
registry ``COSTS``), ``binary`` (bits <-> numbers <-> targets), ``initializers``
(first weights), ``neuron``, ``layer``, ``network`` (layers and training, with
``build`` checking its shape), ``learner`` (a neuron computed by the learner's own
class), ``metrics`` (classes, accuracy, the confusion matrix), ``tasks`` (what to
learn), ``noise`` (wrong targets on purpose) and ``optimizers`` (how a step moves the
weights: the registry ``OPTIMIZERS``).
"""

from nn.activations import (
    ACTIVATIONS,
    Activation,
    get_activation,
    linear,
    linear_deriv,
    relu,
    relu_deriv,
    sigmoid,
    sigmoid_deriv,
    step,
    step_deriv,
    tanh,
    tanh_deriv,
)
from nn.binary import (
    MAX_WIDTH,
    bits_to_int,
    default_bits,
    encode_bits,
    parse_bits,
    read_bits,
    target_to_value,
    value_to_target,
)
from nn.cost import (
    COSTS,
    Cost,
    cross_entropy,
    get_cost,
    log_sum_exp,
    softmax,
    softmax_cross_entropy,
    squared_error,
    squared_error_deriv,
)
from nn.initializers import INITIALIZERS, Initializer, RandomSource, get_initializer
from nn.layer import Layer
from nn.learner import LearnerNeuron, learner_neuron_class
from nn.metrics import class_accuracy, predicted_class, target_class
from nn.network import Example, Network
from nn.neuron import Neuron
from nn.noise import noisy_targets
from nn.optimizers import OPTIMIZERS, Hyperparameter, Optimizer, get_optimizer
from nn.tasks import (
    CLASS_TASKS,
    LAB_TASKS,
    TASKS,
    Task,
    all_examples,
    class_for,
    get_task,
    one_hot,
    target_for,
    target_of_text,
    targets_for,
)
from nn.validation import plural

__all__ = [
    "ACTIVATIONS",
    "CLASS_TASKS",
    "COSTS",
    "INITIALIZERS",
    "LAB_TASKS",
    "MAX_WIDTH",
    "OPTIMIZERS",
    "TASKS",
    "Activation",
    "Cost",
    "Example",
    "Hyperparameter",
    "Initializer",
    "Layer",
    "LearnerNeuron",
    "Network",
    "Neuron",
    "Optimizer",
    "RandomSource",
    "Task",
    "all_examples",
    "bits_to_int",
    "class_accuracy",
    "class_for",
    "cross_entropy",
    "default_bits",
    "encode_bits",
    "get_activation",
    "get_cost",
    "get_initializer",
    "get_optimizer",
    "get_task",
    "learner_neuron_class",
    "linear",
    "linear_deriv",
    "log_sum_exp",
    "noisy_targets",
    "one_hot",
    "parse_bits",
    "plural",
    "predicted_class",
    "read_bits",
    "relu",
    "relu_deriv",
    "sigmoid",
    "sigmoid_deriv",
    "softmax",
    "softmax_cross_entropy",
    "squared_error",
    "squared_error_deriv",
    "step",
    "step_deriv",
    "tanh",
    "tanh_deriv",
    "target_class",
    "target_for",
    "target_of_text",
    "target_to_value",
    "targets_for",
    "value_to_target",
]
