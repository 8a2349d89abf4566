"""skcourse: scikit-learn estimators that follow an introductory course on
artificial neural networks (perceptron, softmax regression, MLPs, feature maps)."""

from .linear_model import Perceptron, SoftmaxRegression
from .neural_network import MLPClassifier, MLPRegressor

__all__ = ["MLPClassifier", "MLPRegressor", "Perceptron", "SoftmaxRegression"]
__version__ = "0.1.0"
