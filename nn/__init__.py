"""A tiny neural-network library for learning how neurons learn.

It grows the notebook's ``Neuron`` into small networks trained on binary
numbers. The aim is to be simple, readable and easy to modify, not fast:
pure Python and its standard library only (it runs in the browser under
Pyodide), one small module per idea, and the notebook's notation throughout:

    x inputs, w weights, b bias, z = w.x + b, y = f(z) output, t target,
    C = sum (y - t)^2 cost, and the derivatives dC/dy, dy/dz, dC/dz, dC/dw,
    dC/db, dC/dx that backpropagation computes.

Modules: ``activations`` (f with dy/dz), ``cost`` (C with dC/dy), ``binary``
(bits <-> numbers <-> targets), ``initializers`` (first weights), ``neuron``,
``network`` (layers and training) and ``tasks`` (what to learn).
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
from nn.cost import squared_error, squared_error_deriv
from nn.initializers import INITIALIZERS, Initializer, RandomSource, get_initializer
from nn.layer import Layer
from nn.network import Example, Network
from nn.neuron import Neuron
from nn.tasks import TASKS, Task, all_examples, get_task, target_for, target_of_text
from nn.validation import plural

__all__ = [
    "ACTIVATIONS",
    "INITIALIZERS",
    "MAX_WIDTH",
    "TASKS",
    "Activation",
    "Example",
    "Initializer",
    "Layer",
    "Network",
    "Neuron",
    "RandomSource",
    "Task",
    "all_examples",
    "bits_to_int",
    "default_bits",
    "encode_bits",
    "get_activation",
    "get_initializer",
    "get_task",
    "linear",
    "linear_deriv",
    "parse_bits",
    "plural",
    "read_bits",
    "relu",
    "relu_deriv",
    "sigmoid",
    "sigmoid_deriv",
    "squared_error",
    "squared_error_deriv",
    "tanh",
    "tanh_deriv",
    "target_for",
    "target_of_text",
    "target_to_value",
    "value_to_target",
]
