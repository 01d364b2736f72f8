"""Themes, polarity and sentiment from the learned model, on top of the rules' reading."""

from collections.abc import Callable, Iterable, Set
from typing import TYPE_CHECKING

from radar_schemas import Polarity, Theme, ThemeTag

from .features import headline_features, polarity_features, sign_of, text_features
from .model import LinearModel, TaggerModel, logit, sigmoid
from .sparse import TextRows
from .themes import ThemeFinder, Votes

if TYPE_CHECKING:
    from .tagger import Reading

MODEL_STRENGTH = 0.5  # confidence of the evidence sentence the model picks (rules' scale)
# A direction (positive, negative) only when the polarity model gives it even odds or better;
# below that the theme is reported neutral. By `make cv` with the headline's words as
# polarity features: polarity on themes found 0.755 -> 0.753, on gold negative or neutral
# themes 0.597 -> 0.626, directional themes at card confidence right 78.7% -> 80.8%.
MIN_DIRECTION_PROBABILITY = 0.5


class LearnedThemes:
    """Decides themes with the model; evidence comes from the rules where they found the
    theme, else from the sentence whose words weigh most for it."""

    def __init__(
        self,
        model: TaggerModel,
        finder: ThemeFinder,
        allowed: Callable[[Theme, "Reading"], bool],
    ) -> None:
        self.model = model
        self.finder = finder
        self.allowed = allowed  # what the taxonomy requires of a document for a theme
        self._index = {theme: i for i, theme in enumerate(model.themes.outputs)}
        # Each theme with its model output and its threshold as a log-odds (no sigmoid for
        # the themes a document does not carry, which is nearly all of them).
        self._decisions = [
            (theme, self._index[theme.value], logit(model.thresholds.get(theme.value, 1.0)))
            for theme in Theme
            if theme.value in self._index
        ]
        # Themes and sentiment read the same features: one pass over them for both.
        self._both = LinearModel.stacked(model.themes, model.sentiment)
        self._moods = len(model.themes.outputs)
        self._text = TextRows(self._both.index)
        self._sentiments = tuple(Polarity(label) for label in model.sentiment.outputs)

    def read(
        self, sentences: Iterable[tuple[str, bool, bool]], findings: set[str], reading: "Reading"
    ) -> tuple[list[ThemeTag], Polarity]:
        """The document's themes (with polarity and evidence) and its sentiment, from its
        sentences (text, in the headline, speaks of AI) and the rules' findings."""
        return self.decide(self.scores(sentences, findings), reading)

    def scores(
        self, sentences: Iterable[tuple[str, bool, bool]], findings: set[str]
    ) -> list[float]:
        """The scores of the themes, then of the sentiments: those of the features of
        `Tagger.features`, read from the words without making the feature strings."""
        rows = self._text.rows(sentences)
        index = self._both.index
        rows.update(map(index.__getitem__, index.keys() & findings))
        return self._both.scores_at(rows)

    def decide(self, scores: list[float], reading: "Reading") -> tuple[list[ThemeTag], Polarity]:
        """Themes and sentiment from the stacked model's scores."""
        moods = scores[self._moods :]
        sentiment = self._sentiments[moods.index(max(moods))]
        return self.themes(scores, reading), sentiment

    def themes(self, scores: list[float], reading: "Reading") -> list[ThemeTag]:
        tags = []
        marks: set[str] | None = None  # the headline's polarity features, read once
        for theme, index, cut in self._decisions:
            vote = reading.votes.get(theme)
            # A self-sufficient cue of the taxonomy counts whatever the model says, so that
            # a phrase a user adds to the YAML takes effect at once.
            if scores[index] < cut:
                if vote is None or not vote.by_cue:
                    continue  # nearly every theme of every document: no sigmoid for them
                probability = max(sigmoid(scores[index]), vote.confidence)
            elif vote is None and not self.allowed(theme, reading):
                continue  # the taxonomy's `requires`: no AI and no watched company named
            else:
                probability = sigmoid(scores[index])
            vote = self.vote(theme, reading)
            if vote is not None:
                if marks is None:
                    marks = headline_features(headline(reading))
                polarity = self.polarity(theme, vote, marks)
                tags.append(
                    ThemeTag(
                        theme=theme,
                        polarity=polarity,
                        confidence=round(min(0.99, probability), 3),
                        evidence=tuple(vote.evidence),
                    )
                )
        return tags

    def vote(self, theme: Theme, reading: "Reading") -> Votes | None:
        """The rules' votes for a theme, else a vote from the sentence the model reads the
        theme in (None for an empty document)."""
        if theme in reading.votes:
            return reading.votes[theme]
        if not reading.parts:
            return None
        index = self._index[theme.value]
        weight = self.model.themes.weight

        def score(segment_text: str, in_title: bool) -> float:
            words = text_features(segment_text, "t:" if in_title else "")
            return sum(weight(f, index) for f in words)

        segment, hits = max(reading.parts, key=lambda p: score(p[0].text, p[0].in_title))
        vote = Votes()
        self.finder.add_vote(vote, theme, segment, hits, MODEL_STRENGTH)
        return vote

    def polarity(self, theme: Theme, vote: Votes, marks: Set[str] = frozenset()) -> Polarity:
        """The model's reading, unless the taxonomy's own cues for this theme decided
        ("price cut" is good news for inference cost, whatever "cut" means elsewhere);
        `marks`: the headline's features (`headline_features`)."""
        if vote.specific and sign_of(vote.score) != "0":
            return Polarity.POSITIVE if vote.score > 0 else Polarity.NEGATIVE
        features = polarity_features(theme, vote, marks)
        label, probability = TaggerModel.best(self.model.polarity, features)
        if label != Polarity.NEUTRAL.value and probability < MIN_DIRECTION_PROBABILITY:
            return Polarity.NEUTRAL  # no even odds for either direction: say neither
        return Polarity(label)


def headline(reading: "Reading") -> str:
    """The document's headline as the rules read it (empty when it has none)."""
    return " ".join(segment.text for segment, _ in reading.parts if segment.in_title)
