"""skcourse: scikit-learn estimators that follow an introductory course on
artificial neural networks (perceptron, softmax regression, MLPs, feature maps)."""

from .linear_model import SoftmaxRegression

__all__ = ["SoftmaxRegression"]
__version__ = "0.1.0"
