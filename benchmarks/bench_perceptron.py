"""Perceptron against scikit-learn's Perceptron on MNIST.

Both run Rosenblatt's rule (one sample per step, eta0=1, no penalty, a new
random order each epoch) one-vs-rest.  scikit-learn trains the ten binary
perceptrons one after the other in compiled code; skcourse trains them
together, a block of 32 samples at a time (``_training.online_epoch``).

Three cases: the defaults (each one-vs-rest perceptron stops when its online
loss stalls; the plain perceptron's last weights are noisy, so its error
moves by a point or two with the seed), a fixed number of epochs (the fairest
comparison of speed), and the averaged perceptron against scikit-learn's
(``SGDClassifier(loss="perceptron", average=True)``, the same rule and
average).  The averaged perceptron must be much more accurate than the plain
one; the multinomial (winner-takes-all) rule is informational in the first
case, and its averaged form has a case of its own: no slower than
scikit-learn's Perceptron() with its defaults, and under 8 % test error.

The two libraries draw different random orders from the same seed, so one
seed compares two draws of a noisy error: every case runs the same five seeds
on both sides and compares the means.
"""

from _cases import Candidate, Case, Target
from sklearn.linear_model import Perceptron as SkPerceptron
from sklearn.linear_model import SGDClassifier

from skcourse.linear_model import Perceptron

EPOCHS = 10
SEEDS = (0, 1, 2, 3, 4)
#: Half of scikit-learn's time, and no worse test error.
SAME_RULE = Target(0.5, 0.0)
#: Against the plain perceptron: no slower, and at least 2 points less error.
AVERAGED = Target(1.0, -2.0)
#: The multinomial averaged perceptron: no slower than scikit-learn's plain
#: one-vs-rest perceptron, and at most 8 % test error (an absolute bound, as
#: the plain perceptron's error is too noisy to be the yardstick).
MULTINOMIAL_AVERAGED = Target(1.0, max_error_pct=8.0)


def cases(n_train):
    """The cases of this file; ``n_train`` is the number of training images used."""
    return [
        _defaults_case(),
        _fixed_epochs_case(),
        _averaged_case(),
        _multinomial_averaged_case(),
    ]


def _defaults_case():
    return Case(
        name="p",
        description="Perceptron with its defaults (tol=1e-3, n_iter_no_change=5)",
        reference=Candidate("sklearn Perceptron()", SkPerceptron),
        candidates=[
            Candidate("Perceptron()", Perceptron, SAME_RULE),
            Candidate(
                "Perceptron(average=True)", lambda: Perceptron(average=True), AVERAGED
            ),
            Candidate(
                "Perceptron(multi_class='multinomial')",
                lambda: Perceptron(multi_class="multinomial"),
            ),
        ],
        seeds=SEEDS,
    )


def _fixed_epochs_case():
    def fixed(**params):
        return lambda: Perceptron(max_iter=EPOCHS, tol=None, **params)

    return Case(
        name=f"p{EPOCHS}",
        description=f"Perceptron, exactly {EPOCHS} epochs (tol=None)",
        reference=Candidate(
            f"sklearn Perceptron(max_iter={EPOCHS}, tol=None)",
            lambda: SkPerceptron(max_iter=EPOCHS, tol=None),
        ),
        candidates=[
            Candidate(f"Perceptron(max_iter={EPOCHS}, tol=None)", fixed(), SAME_RULE),
            Candidate(
                f"Perceptron(average=True, max_iter={EPOCHS}, tol=None)",
                fixed(average=True),
                AVERAGED,
            ),
        ],
        seeds=SEEDS,
    )


def _averaged_case():
    """The averaged perceptron against the same rule in scikit-learn's SGD."""
    return Case(
        name=f"a{EPOCHS}",
        description=(
            f"averaged perceptron, exactly {EPOCHS} epochs, against "
            "SGDClassifier(loss='perceptron', eta0=1, learning_rate='constant', "
            "penalty=None, average=True)"
        ),
        reference=Candidate(
            "sklearn SGDClassifier(loss='perceptron', average=True, ...)",
            lambda: SGDClassifier(
                loss="perceptron",
                eta0=1.0,
                learning_rate="constant",
                penalty=None,
                average=True,
                max_iter=EPOCHS,
                tol=None,
                random_state=0,
            ),
        ),
        candidates=[
            Candidate(
                f"Perceptron(average=True, max_iter={EPOCHS}, tol=None)",
                lambda: Perceptron(average=True, max_iter=EPOCHS, tol=None),
                SAME_RULE,
            )
        ],
        seeds=SEEDS,
    )


def _multinomial_averaged_case():
    """The multinomial averaged perceptron, defaults, against sklearn's defaults.

    The same reference as case p: in a full run it is measured once for both.
    """
    return Case(
        name="pma",
        description=(
            "multinomial averaged perceptron with its defaults against "
            "scikit-learn's Perceptron() with its defaults"
        ),
        reference=Candidate("sklearn Perceptron()", SkPerceptron),
        candidates=[
            Candidate(
                "Perceptron(multi_class='multinomial', average=True)",
                lambda: Perceptron(multi_class="multinomial", average=True),
                MULTINOMIAL_AVERAGED,
            )
        ],
        seeds=SEEDS,
    )
