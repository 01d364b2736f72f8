"""The tagger's learned part: linear models over sparse features, trained on the labelled
corpus's training part (`python -m radar_tagger.train`) and shipped as one JSON file.

- themes: one logistic model per theme (is the theme in the document?), with a threshold;
- polarity: a three-class model of a theme's polarity from its evidence sentences;
- sentiment: a three-class model of a document's tone as financial news.

The rules' findings are features too (`rule:<theme>`), so a cue phrase a user adds to the
taxonomy takes effect through the weight the model learned for the rules' findings.
Inference is pure Python: a feature's row of weights is looked up once per document.
"""

import gzip
import json
import math
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

MODEL_VERSION = 1


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

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "LinearModel":
        rows = {
            feature: tuple((int(i), float(w)) for i, w in pairs)
            for feature, pairs in data["rows"].items()
        }
        return cls.from_rows(
            tuple(data["outputs"]), tuple(float(b) for b in data["intercepts"]), rows
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "outputs": list(self.outputs),
            "intercepts": [round(b, 5) for b in self.intercepts],
            "rows": {
                f: [[i, round(w, 5)] for i, w in row] for f, row in sorted(self.rows().items())
            },
        }


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

    def to_json(self) -> dict[str, Any]:
        return {
            "version": MODEL_VERSION,
            "trained_on": self.trained_on,
            "thresholds": self.thresholds,
            "themes": self.themes.to_json(),
            "polarity": self.polarity.to_json(),
            "sentiment": self.sentiment.to_json(),
        }


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x > -60 else 0.0


BUNDLED = "model.json.gz"


def load_model(path: Path | None = None) -> TaggerModel:
    """The model at `path`, else the one shipped with the package."""
    try:
        if path is None:
            raw = resources.files("radar_tagger").joinpath("data", BUNDLED).read_bytes()
        else:
            raw = path.read_bytes()
        data = json.loads(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read the tagger model {path or BUNDLED}: {exc}") from exc
    if not isinstance(data, dict) or data.get("version") != MODEL_VERSION:
        raise ModelError(f"tagger model {path or BUNDLED}: not a version {MODEL_VERSION} model")
    try:
        return TaggerModel(
            themes=LinearModel.from_json(data["themes"]),
            thresholds={k: float(v) for k, v in data["thresholds"].items()},
            polarity=LinearModel.from_json(data["polarity"]),
            sentiment=LinearModel.from_json(data["sentiment"]),
            trained_on=dict(data.get("trained_on", {})),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"tagger model {path or BUNDLED}: malformed ({exc})") from exc


def save_model(model: TaggerModel, path: Path) -> None:
    text = json.dumps(model.to_json(), separators=(",", ":"), sort_keys=True)
    path.write_bytes(gzip.compress(text.encode(), mtime=0))
