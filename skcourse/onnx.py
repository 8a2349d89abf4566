"""Export skcourse models to ONNX with skl2onnx.

Importing this module registers converters with skl2onnx for every estimator
and transformer of skcourse, so that ``skl2onnx.to_onnx`` converts them, alone
or inside a scikit-learn ``Pipeline``.  It needs the "onnx" extra
(``pip install skcourse[onnx]``: skl2onnx, and onnxruntime to run the graphs);
``import skcourse`` alone never imports skl2onnx.

Each graph computes what the estimator's ``predict`` computes, in the same
floating-point type: the promotion of the input's type and the weights' (a
model fitted on float64 runs a float32 input in float64, as ``predict`` does;
a model fitted on float32 runs in float32).  Labels therefore equal
``predict`` exactly; probabilities, scores and regression outputs are cast to
the input's type (float32 for a float32 input).

What each graph computes (``a``: the scores, ``a = x W + b``):

- ``SoftmaxRegression``: labels, and the probabilities ``softmax(a)`` (two
  classes: ``softmax([0, a])``).
- ``Perceptron``: labels (multinomial and one-vs-rest alike: the largest
  score; two classes: ``a > 0``), and with ``probability=True`` the
  calibrated ``softmax(a / tau)``, else the scores as scikit-learn's
  converters give them for a classifier without probabilities.
- ``MLPClassifier``: labels and probabilities; ``MLPRegressor``: the outputs,
  ``exp`` of the last layer for ``loss="poisson"``.  Every hidden activation,
  softplus included (computed as ``max(a, 0) + log(1 + exp(-|a|))``, which
  does not overflow).
- ``RandomFeatures``: ``g(x W + b)`` for every activation, the course's
  ``sign`` (``+1`` at 0, unlike ONNX's ``Sign``) and ``heaviside`` included.
- ``AddBias``: ``x`` with a last column of ones.

The classifiers take skl2onnx's options ``zipmap`` (False: probabilities as a
tensor) and ``raw_scores`` (True: the scores ``a`` in place of the
probabilities, two columns ``[-a, a]`` for two classes, as skl2onnx's linear
classifiers give them).  A multilabel ``MLPClassifier`` is not supported.

Examples
--------
>>> import numpy as np
>>> from skl2onnx import to_onnx
>>> from sklearn.datasets import load_iris
>>> import skcourse.onnx  # registers the converters
>>> from skcourse.linear_model import SoftmaxRegression
>>> X, y = load_iris(return_X_y=True)
>>> clf = SoftmaxRegression().fit(X, y)
>>> onx = to_onnx(clf, X[:1].astype(np.float32), options={"zipmap": False})
>>> [output.name for output in onx.graph.output]
['label', 'probabilities']
"""

import numpy as np

try:
    from onnx import TensorProto
    from onnx.helper import np_dtype_to_tensor_dtype
    from onnx.numpy_helper import from_array
    from skl2onnx import update_registered_converter
    from skl2onnx.common._apply_operation import apply_cast
    from skl2onnx.common.data_types import (
        DoubleTensorType,
        FloatTensorType,
        guess_proto_type,
    )
    from skl2onnx.common.shape_calculator import (
        calculate_linear_classifier_output_shapes,
    )
    from skl2onnx.common.utils_classifier import (
        _finalize_converter_classes,
        get_label_classes,
    )
except ImportError as exc:  # say which extra brings it, not only what is missing
    raise ImportError(
        f"skcourse.onnx needs skl2onnx and onnx ({exc.name} is missing), and "
        f"onnxruntime to run the graphs: pip install 'skcourse[onnx]'."
    ) from exc

from .linear_model import Perceptron, SoftmaxRegression
from .neural_network import MLPClassifier, MLPRegressor
from .preprocessing import AddBias, RandomFeatures

__all__ = ["register_converters"]

#: The units that are one ONNX operator, by skcourse's (scikit-learn's) names.
ONNX_UNITS = {
    "identity": "Identity",
    "logistic": "Sigmoid",
    "tanh": "Tanh",
    "relu": "Relu",
    "exp": "Exp",  # the Poisson loss's output
}

#: skl2onnx's options of its linear classifiers (``nocl``: class indices for labels).
CLASSIFIER_OPTIONS = {
    "zipmap": [True, False, "columns"],
    "nocl": [True, False],
    "raw_scores": [True, False],
}


class Graph:
    """The pieces of one operator's graph: constants and nodes of one dtype."""

    def __init__(self, scope, operator, container, weights_dtype):
        self.scope, self.operator, self.container = scope, operator, container
        input_type = guess_proto_type(operator.inputs[0].type)
        input_dtype = np.float64 if input_type == TensorProto.DOUBLE else np.float32
        # The type predict computes in: the input's and the weights' promotion.
        self.dtype = np.result_type(input_dtype, weights_dtype)
        self.proto = np_dtype_to_tensor_dtype(self.dtype)
        self.input = operator.inputs[0].full_name
        if input_type != self.proto:
            self.input = self.cast(self.input, self.proto)

    def name(self, hint):
        return self.scope.get_unique_variable_name(hint)

    def const(self, value, hint="const", dtype=None):
        value = np.asarray(value, dtype=dtype or self.dtype)
        name = self.name(hint)
        proto = np_dtype_to_tensor_dtype(value.dtype)
        self.container.add_initializer(name, proto, list(value.shape), value.ravel())
        return name

    def node(self, op_type, inputs, output=None, **attrs):
        output = output or self.name(op_type.lower())
        self.container.add_node(
            op_type,
            inputs,
            output,
            name=self.scope.get_unique_operator_name(op_type),
            **attrs,
        )
        return output

    def cast(self, name, proto, output=None):
        output = output or self.name("cast")
        apply_cast(self.scope, name, output, self.container, to=proto)
        return output

    def output(self, name, index):
        """Write ``name`` to the operator's output ``index``, in its type."""
        out = self.operator.outputs[index]
        proto = guess_proto_type(out.type)
        if proto == self.proto:
            self.node("Identity", [name], out.full_name)
        else:
            self.cast(name, proto, out.full_name)

    # -- the math ------------------------------------------------------------

    def affine(self, H, W, b):
        """``H W + b``."""
        product = self.node("MatMul", [H, self.const(W)])
        return self.node("Add", [product, self.const(b)])

    def unit(self, A, activation):
        """``g(a)`` element-wise, for every unit of ``_activations``."""
        if activation in ONNX_UNITS:
            return self.node(ONNX_UNITS[activation], [A])
        if activation == "softplus":  # max(a, 0) + log(1 + exp(-|a|))
            tail = self.node("Exp", [self.node("Neg", [self.node("Abs", [A])])])
            log1p = self.node("Log", [self.node("Add", [tail, self.const(1.0)])])
            return self.node("Add", [self.node("Relu", [A]), log1p])
        if activation in ("sign", "heaviside"):  # the course's: g(0) = 1
            low = -1.0 if activation == "sign" else 0.0
            negative = self.node("Less", [A, self.const(0.0)])
            return self.node("Where", [negative, self.const(low), self.const(1.0)])
        raise NotImplementedError(f"no ONNX graph for the activation {activation!r}")

    def two_columns(self, A):
        """``[0, a]`` from one column of scores ``a`` (two classes)."""
        zeros = self.node(
            "ConstantOfShape",
            [self.node("Shape", [A])],
            value=from_array(np.zeros(1, dtype=self.dtype)),
        )  # exact zeros, also beside an infinite score (0 * inf is NaN)
        return self.node("Concat", [zeros, A], axis=1)

    def softmax(self, A):
        return self.node("Softmax", [A], axis=1)

    def labels(self, A, binary_threshold=None):
        """The class of the largest column of ``A``; one column: above the
        threshold (``classes[1]``), else ``classes[0]``, as ``predict``."""
        if binary_threshold is not None:
            above = self.node("Greater", [A, self.const(binary_threshold)])
            index = self.cast(above, TensorProto.INT64)
            index = self.node(
                "Reshape", [index, self.const([-1], "shape", np.int64)], "index"
            )
        else:
            index = self.node("ArgMax", [A], axis=1)
        _finalize_converter_classes(
            self.scope,
            index,
            self.operator.outputs[0].full_name,
            self.container,
            np.asarray(get_label_classes(self.scope, self.operator.raw_operator)),
            self.proto,
        )


def _options(container, model):
    return container.get_options(model, dict(raw_scores=False))


def _dense(coef):
    return coef.toarray() if hasattr(coef, "toarray") else np.asarray(coef)


# -- converters ---------------------------------------------------------------


def convert_linear_classifier(scope, operator, container):
    """SoftmaxRegression and Perceptron: ``a = x W + b``, then labels and
    probabilities (or the scores)."""
    est = operator.raw_operator
    coef = _dense(est.coef_)
    g = Graph(scope, operator, container, coef.dtype)
    A = g.affine(g.input, coef.T, est.intercept_)
    binary = A if coef.shape[0] > 1 else g.two_columns(A)  # [0, a]
    g.labels(binary)
    temperature = getattr(est, "temperature_", None)
    calibrated = isinstance(est, SoftmaxRegression) or (
        est.probability and temperature is not None
    )
    if _options(container, est)["raw_scores"] or not calibrated:
        # Two classes: [-a, a], as skl2onnx's linear classifiers.
        scores = A
        if coef.shape[0] == 1:
            scores = g.node("Concat", [g.node("Neg", [A]), A], axis=1)
        g.output(scores, 1)
        return
    if isinstance(est, Perceptron):
        binary = g.node("Div", [binary, g.const(temperature)])
    g.output(g.softmax(binary), 1)


def forward(g, est):
    """The network's output pre-activations ``a_L``."""
    H = g.input
    for k, (W, b) in enumerate(zip(est.coefs_, est.intercepts_, strict=True)):
        H = g.affine(H, W, b)
        if k < len(est.coefs_) - 1:
            H = g.unit(H, est.activation)
    return H


def convert_mlp_classifier(scope, operator, container):
    """MLPClassifier: ``y = g_L(a_L)``; labels as ``predict`` reads them."""
    est = operator.raw_operator
    if est._label_binarizer.y_type_ == "multilabel-indicator":
        raise NotImplementedError(
            "skcourse.onnx does not convert a multilabel MLPClassifier."
        )
    g = Graph(scope, operator, container, est.coefs_[0].dtype)
    A = forward(g, est)
    binary = len(est.classes_) == 2
    if binary:
        Y = g.node("Sigmoid", [A])
        g.labels(Y, binary_threshold=0.5)
        proba = g.node("Concat", [g.node("Sub", [g.const(1.0), Y]), Y], axis=1)
    else:
        proba = g.softmax(A)
        g.labels(proba)
    if _options(container, est)["raw_scores"]:
        scores = g.node("Concat", [g.node("Neg", [A]), A], axis=1) if binary else A
        g.output(scores, 1)
    else:
        g.output(proba, 1)


def convert_mlp_regressor(scope, operator, container):
    """MLPRegressor: ``a_L``, or ``exp(a_L)`` for the Poisson loss."""
    est = operator.raw_operator
    g = Graph(scope, operator, container, est.coefs_[0].dtype)
    g.output(g.unit(forward(g, est), est.out_activation_), 0)


def convert_random_features(scope, operator, container):
    """RandomFeatures: ``g(x W + b)``, in the input's type, as ``transform``."""
    est = operator.raw_operator
    # transform casts W and b to the input's type: no promotion here.
    g = Graph(scope, operator, container, np.float32)
    A = g.affine(g.input, est.random_weights_, est.random_offset_)
    g.output(g.unit(A, est.activation), 0)


def convert_add_bias(scope, operator, container):
    """AddBias: ``[x, 1]``."""
    g = Graph(scope, operator, container, np.float32)
    rows = g.node(
        "Slice",
        [
            g.node("Shape", [g.input]),
            g.const([0], "start", np.int64),
            g.const([1], "end", np.int64),
        ],
    )
    shape = g.node("Concat", [rows, g.const([1], "one", np.int64)], axis=0)
    ones = g.node(
        "ConstantOfShape",
        [shape],
        value=from_array(np.ones(1, dtype=g.dtype)),
    )
    g.output(g.node("Concat", [g.input, ones], axis=1), 0)


# -- shapes -------------------------------------------------------------------


def transformed_shape(n_columns):
    """A transformer's (or regressor's) output: ``n_columns(est)`` columns,
    double for a double input, float otherwise (``transform`` keeps float32)."""

    def calculate(operator):
        N = operator.inputs[0].get_first_dimension()
        double = isinstance(operator.inputs[0].type, DoubleTensorType)
        tensor = DoubleTensorType if double else FloatTensorType
        operator.outputs[0].type = tensor([N, n_columns(operator.raw_operator)])

    return calculate


def register_converters():
    """Register the converters of skcourse's estimators with skl2onnx.

    Importing :mod:`skcourse.onnx` does it; call it again after something
    else replaced them.
    """
    for model, convert in (
        (SoftmaxRegression, convert_linear_classifier),
        (Perceptron, convert_linear_classifier),
        (MLPClassifier, convert_mlp_classifier),
    ):
        update_registered_converter(
            model,
            f"Skcourse{model.__name__}",
            calculate_linear_classifier_output_shapes,
            convert,
            options=CLASSIFIER_OPTIONS,
        )
    update_registered_converter(
        MLPRegressor,
        "SkcourseMLPRegressor",
        transformed_shape(lambda est: est.n_outputs_),  # one column per target
        convert_mlp_regressor,
    )
    update_registered_converter(
        RandomFeatures,
        "SkcourseRandomFeatures",
        transformed_shape(lambda est: est.random_weights_.shape[1]),
        convert_random_features,
    )
    update_registered_converter(
        AddBias,
        "SkcourseAddBias",
        transformed_shape(lambda est: est.n_features_in_ + 1),
        convert_add_bias,
    )


register_converters()
