"""The seed notebook's own code (nnetwork.ipynb), as a reference for the tests.

Transcribed from the notebook's cells: ``sigmoid`` and ``sigmoid_deriv`` (step 2)
and ``Neuron`` "class 3" (step 4, with forward and backward). Our copy of the
notebook lost its code indentation, so only the indentation is restored, the
imports are gathered at the top, trailing spaces are dropped and ruff is told
not to ask for ``zip(strict=...)``; every other character is the notebook's.
Do not "fix" anything here: the tests compare ``nn`` with exactly this.
"""

# ruff: noqa: B905

import math
import random


# transform all numbers between 0 and 1
def sigmoid(x):
    return 1 / (1 + math.exp(-x))


# sigmoid's derivation
def sigmoid_deriv(x):
    y = sigmoid(x)
    return y * (1 - y)


# neuron class 3
class Neuron:
    """
    z : linear combination of inputs and weights plus bias (pre-activation)
    y : output of the activation function (sigmoid(z))
    w : list of weights, one for each input
    """

    def __init__(self, isize):
        # number of inputs to this neuron
        self.isize = isize
        # importance to each input
        self.weight = [random.uniform(-1, 1) for _ in range(self.isize)]
        # importance of the neuron
        self.bias = random.uniform(-1, 1)

    def forward(self, x, activate=True):
        """
        x : list of input values to the neuron
        """
        # computes the weighted sum of inputs and add the bias
        self.z = sum(w * xi for w, xi in zip(self.weight, x)) + self.bias
        # normalize the output between 0 and 1 if activate
        last_output = sigmoid(self.z) if activate else self.z

        return last_output

    # adjust weight and bias of neuron
    def backward(self, x, dcost_dy, learning_rate):
        """
        x : list of input values to the neuron
        dcost_dy : derivate of the cost function `(2 * (output - target))`
        learning_rate : learning factor (adjust the speed of weight/bias change during training)

        weight -= learning_rate * dC/dy * dy/dz * dz/dw
        bias -= learning_rate * dC/dy * dy/dz * dz/db
        """
        # dy/dz: derivate of the sigmoid activation
        dy_dz = sigmoid_deriv(self.z)
        # dz/dw = x
        dz_dw = x

        assert len(dz_dw) >= self.isize, "too many values for input size"

        # dz/db = 1
        dz_db = 1

        for i in range(self.isize):
            # update each weight `weight -= learning_rate * dC/dy * dy/dz * x_i`
            self.weight[i] -= learning_rate * dcost_dy * dy_dz * dz_dw[i]

        # update bias: bias -= learning_rate * dC/dy * dy/dz * dz/db
        self.bias -= learning_rate * dcost_dy * dy_dz * dz_db

        # return gradient vector len(input) dimension
        return [dcost_dy * dy_dz * w for w in self.weight]
