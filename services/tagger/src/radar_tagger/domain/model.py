"""The tagger's learned part: linear models over sparse features, trained on the labelled
corpus's training part (`python -m radar_tagger.train`) and shipped as one numpy archive.

- themes: one logistic model per theme (is the theme in the document?), with a threshold;
- polarity: a three-class model of a theme's polarity from its evidence sentences;
- sentiment: a three-class model of a document's tone as financial news.

The rules' findings are features too (`rule:<theme>`), so a cue phrase a user adds to the
taxonomy takes effect through the weight the model learned for the rules' findings.
A document's scores are one sum over the matrix rows of the features it has.
"""

import io
import json
import math
import zipfile
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

MODEL_VERSION = 2  # 1 was gzipped JSON


class ModelError(ValueError):
    """The model file is missing, of another version or malformed."""


Rows = dict[str, tuple[tuple[int, float], ...]]  # feature -> (output, weight) pairs


@dataclass(frozen=True, eq=False)
class LinearModel:
    """Scores for several outputs: a weight per known feature and output, and an intercept
    per output. Kept as a dense matrix, one row per known feature and a last row of
    intercepts: a document's scores are one sum over the rows of its known features (a
    Python loop over them was most of the tagger's time)."""

    outputs: tuple[str, ...]
    index: dict[str, int]  # feature -> its row
    matrix: "np.ndarray[Any, np.dtype[np.float32]]"

    @classmethod
    def from_rows(
        cls, outputs: tuple[str, ...], intercepts: tuple[float, ...], rows: Rows
    ) -> "LinearModel":
        index = {feature: n for n, feature in enumerate(rows)}
        matrix = np.zeros((len(index) + 1, len(outputs)), dtype=np.float32)
        matrix[-1] = intercepts
        for feature, row in rows.items():
            for output, weight in row:
                matrix[index[feature], output] = weight
        return cls(outputs, index, matrix)

    @classmethod
    def stacked(cls, first: "LinearModel", second: "LinearModel") -> "LinearModel":
        """One model with the outputs of both, the second's after the first's."""
        index = dict(first.index)
        for feature in second.index:
            index.setdefault(feature, len(index))
        matrix = np.zeros((len(index) + 1, len(first.outputs) + len(second.outputs)), np.float32)
        shift = len(first.outputs)
        matrix[[*first.index.values(), -1], :shift] = first.matrix
        rows = [index[f] for f in second.index]
        matrix[[*rows, -1], shift:] = second.matrix
        return cls(first.outputs + second.outputs, index, matrix)

    @classmethod
    def from_arrays(
        cls, outputs: tuple[str, ...], features: str, matrix: "np.ndarray[Any, Any]"
    ) -> "LinearModel":
        """From the features (one per line, in row order) and the matrix with its last row
        of intercepts."""
        names = features.split("\n") if features else []
        if matrix.shape != (len(names) + 1, len(outputs)):
            raise ValueError(
                f"a matrix of shape {matrix.shape} for {len(names)} features "
                f"and {len(outputs)} outputs"
            )
        index = {feature: n for n, feature in enumerate(names)}
        if len(index) != len(names):
            raise ValueError("a feature is listed twice")
        return cls(outputs, index, np.ascontiguousarray(matrix, dtype=np.float32))

    @property
    def intercepts(self) -> tuple[float, ...]:
        return tuple(float(b) for b in self.matrix[-1])

    def rows(self) -> Rows:
        """The non-zero weights of each feature."""
        return {
            feature: tuple(
                (int(o), float(self.matrix[n, o])) for o in np.flatnonzero(self.matrix[n])
            )
            for feature, n in self.index.items()
        }

    def scores(self, features: Iterable[str]) -> list[float]:
        """The linear score (log-odds) of every output."""
        index = self.index
        return self.scores_at(list(map(index.__getitem__, index.keys() & features)))

    def scores_at(self, rows: Collection[int]) -> list[float]:
        """The scores of the features at these rows of the matrix (each row once)."""
        at = [*rows, -1]  # and the intercepts
        total: list[float] = self.matrix.take(at, axis=0).sum(axis=0, dtype=np.float64).tolist()
        return total

    def weight(self, feature: str, output: int) -> float:
        row = self.index.get(feature)
        return 0.0 if row is None else float(self.matrix[row, output])


@dataclass(frozen=True)
class TaggerModel:
    """The three models and the themes' decision thresholds (probabilities)."""

    themes: LinearModel  # outputs: theme ids, one-vs-rest
    thresholds: dict[str, float]
    polarity: LinearModel  # outputs: positive, negative, neutral (softmax)
    sentiment: LinearModel  # likewise, for whole documents
    trained_on: dict[str, str]  # file name -> sha256 of the training data

    def theme_probabilities(self, features: Iterable[str]) -> dict[str, float]:
        return dict(
            zip(self.themes.outputs, map(sigmoid, self.themes.scores(features)), strict=True)
        )

    @staticmethod
    def best(model: LinearModel, features: Iterable[str]) -> tuple[str, float]:
        """The most probable class of a softmax model, with its probability."""
        scores = model.scores(features)
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        index = exps.index(1.0)
        return model.outputs[index], 1.0 / sum(exps)


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -60 else 0.0


def logit(probability: float) -> float:
    """The log-odds of a probability (sigmoid's inverse; ±inf at 1 and 0)."""
    if probability >= 1.0:
        return math.inf
    return math.log(probability / (1.0 - probability)) if probability > 0 else -math.inf


BUNDLED = "model.npz"
_MODELS = ("themes", "polarity", "sentiment")


def load_model(path: Path | None = None) -> TaggerModel:
    """The model at `path`, else the one shipped with the package."""
    name = path or BUNDLED
    try:
        if path is None:
            raw = resources.files("radar_tagger").joinpath("data", BUNDLED).read_bytes()
        else:
            raw = path.read_bytes()
        with np.load(io.BytesIO(raw), allow_pickle=False) as arrays:
            meta = json.loads(arrays["meta"].tobytes())
            if not isinstance(meta, dict) or meta.get("version") != MODEL_VERSION:
                raise ModelError(
                    f"tagger model {name}: not a version {MODEL_VERSION} model "
                    "(`make train` writes one)"
                )

            def linear(each: str) -> LinearModel:
                return LinearModel.from_arrays(
                    tuple(meta["outputs"][each]),
                    arrays[f"{each}.features"].tobytes().decode(),
                    arrays[f"{each}.matrix"],
                )

            return TaggerModel(
                themes=linear("themes"),
                thresholds={k: float(v) for k, v in meta["thresholds"].items()},
                polarity=linear("polarity"),
                sentiment=linear("sentiment"),
                trained_on=dict(meta.get("trained_on", {})),
            )
    except ModelError:
        raise
    except OSError as exc:
        raise ModelError(f"cannot read the tagger model {name}: {exc}") from exc
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile) as exc:
        raise ModelError(f"tagger model {name}: malformed ({exc})") from exc


def save_model(model: TaggerModel, path: Path) -> None:
    """One compressed numpy archive: each model's matrix, its features as lines of text,
    and the rest as JSON. Loading it builds no large Python structure but the features'
    index (a JSON file of the same weights took 140 MB at its peak to read)."""
    meta = {
        "version": MODEL_VERSION,
        "trained_on": model.trained_on,
        "thresholds": model.thresholds,
        "outputs": {each: list(getattr(model, each).outputs) for each in _MODELS},
    }
    arrays: dict[str, np.ndarray[Any, Any]] = {
        "meta": np.frombuffer(json.dumps(meta, sort_keys=True).encode(), np.uint8)
    }
    for each in _MODELS:
        linear: LinearModel = getattr(model, each)
        features = sorted(linear.index, key=linear.index.__getitem__)
        if any("\n" in f for f in features):
            raise ValueError(f"{each}: a feature holds a line break")
        arrays[f"{each}.features"] = np.frombuffer("\n".join(features).encode(), np.uint8)
        arrays[f"{each}.matrix"] = linear.matrix
    # numpy's savez stamps each member with the time: a fixed stamp makes retraining on the
    # same data write the same bytes.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, array in arrays.items():
            member = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            member.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(member, "w") as out:
                np.lib.format.write_array(out, array, allow_pickle=False)
