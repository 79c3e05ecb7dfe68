"""Occupation classification: a job title → BRC 2014 beroepsgroep and beroepsklasse.

A scikit-learn pipeline (TF-IDF on character n-grams of the cleaned title, multinomial logistic
regression) trained on the labelled Dutch job titles in ``matching/data/job_titles.csv``. Below
``min_score`` the answer is "onbekend" rather than a guess. The fitted model is cached on disk
(keyed by the training data and the scikit-learn version), so workers do not retrain.
"""

from __future__ import annotations

import hashlib
import pickle
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import sklearn
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

DATA_DIR = Path(__file__).resolve().parent / "data"
TITLES_FILE = DATA_DIR / "job_titles.csv"
UNKNOWN = "onbekend"

_NOISE = re.compile(
    r"\((?:m|v|x|d|f|h)(?:\s*/\s*(?:m|v|x|d|f|h))+\)|\b(?:m|v)\s*/\s*(?:v|m)(?:\s*/\s*[xd])?\b"
    r"|\b\d{1,2}\s*(?:-|tot|–)\s*\d{1,2}\s*(?:uur|u\b|hours?)|\b\d{1,2}\s*uur\b"
    r"|\b(?:fulltime|parttime|full-time|part-time|gezocht|vacature|per direct)\b",
    re.IGNORECASE,
)


def clean_title(title: str) -> str:
    """Drop gender markers, hours and job-board filler; lower case.

    >>> clean_title("Verpleegkundige (m/v/x) 24-32 uur - Zwolle")
    'verpleegkundige zwolle'
    """
    text = _NOISE.sub(" ", title)
    text = re.sub(r"[^\w'+#./-]+", " ", text.lower())
    return re.sub(r"\s+", " ", text.replace(" - ", " ")).strip(" -/.")


_SENIORITY = re.compile(
    r"\b(?:senior|junior|medior|allround|allrounder|leerling|bbl|bol|eerste|tweede|ervaren|"
    r"startende?|starter|stagiair|trainee|zzp|freelance|uitzend|tijdelijk|vast|nacht|dag|avond|"
    r"weekend|ploegendienst|fte|mbo\s*\d?|hbo|wo|niveau\s*\d)\b",
    re.IGNORECASE,
)


def base_title(title: str) -> str:
    """The title without seniority, shift, level and place/employer tails: titles that share a
    base title are variants of one another and must stay in the same cross-validation fold.

    >>> base_title("Senior Verpleegkundige (m/v) - Zwolle")
    'verpleegkundige'
    """
    text = re.split(r"\s[-|–@]\s|\s(?:bij|in|te|at|regio)\s", title, maxsplit=1)[0]
    text = _SENIORITY.sub(" ", clean_title(text))
    return re.sub(r"\s+", " ", text).strip(" -/.,")


class OccupationClassifier(ClassifierMixin, BaseEstimator):
    """Classify job titles into BRC 2014 beroepsgroepen.

    Parameters
    ----------
    min_score : float
        Below this probability of the best group the prediction is ``"onbekend"``.
    C : float
        Inverse regularisation strength of the logistic regression.
    ngram_range : tuple of int
        Character n-gram lengths (within word boundaries).

    Attributes
    ----------
    classes_ : ndarray of str
        The beroepsgroep codes seen in training.
    vectorizer_ : TfidfVectorizer
    model_ : LogisticRegression

    Examples
    --------
    >>> clf = OccupationClassifier().fit(["Lasser", "Kok", "Lasser MIG", "Zelfstandig kok"],
    ...                                  ["0711", "1112", "0711", "1112"])
    >>> clf.predict(["Lasser TIG"]).tolist()
    ['0711']
    """

    def __init__(
        self, min_score: float = 0.3, C: float = 10.0, ngram_range: tuple[int, int] = (2, 5)
    ) -> None:
        self.min_score = min_score
        self.C = C
        self.ngram_range = ngram_range

    def fit(self, titles: list[str], codes: list[str]) -> OccupationClassifier:
        self.vectorizer_ = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=self.ngram_range,
            sublinear_tf=True,
            strip_accents="unicode",
            min_df=1,
        )
        features = self.vectorizer_.fit_transform([clean_title(t) for t in titles])
        self.model_ = LogisticRegression(C=self.C, max_iter=3000)
        self.model_.fit(features, codes)
        self.classes_ = self.model_.classes_
        return self

    def predict_proba(self, titles: list[str]) -> np.ndarray:
        check_is_fitted(self, "model_")
        features = self.vectorizer_.transform([clean_title(t) for t in titles])
        return np.asarray(self.model_.predict_proba(features))

    def predict(self, titles: list[str]) -> np.ndarray:
        probabilities = self.predict_proba(titles)
        best = probabilities.argmax(axis=1)
        labels = self.classes_[best].astype(object)
        labels[probabilities.max(axis=1) < self.min_score] = UNKNOWN
        return labels

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        check_is_fitted(self, "vectorizer_")
        return np.asarray(self.vectorizer_.get_feature_names_out())


@dataclass(frozen=True)
class Classification:
    code: str | None
    label: str
    klasse_code: str | None
    klasse: str | None
    score: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def training_data(path: Path = TITLES_FILE) -> pl.DataFrame:
    return pl.read_csv(path, infer_schema=False)


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    digest.update(sklearn.__version__.encode())
    return digest.hexdigest()[:16]


def model_file(cache_dir: Path, path: Path = TITLES_FILE) -> Path:
    """Where the classifier fitted on ``path`` is cached: one file per training data and
    scikit-learn version, so an upgrade never loads a stale model."""
    return cache_dir / f"occupations-{_fingerprint(path)}.pkl"


def models_dir(cache_dir: Path | str) -> Path:
    """The folder of fitted models under the setting ``cache_dir``."""
    return Path(cache_dir) / "models"


def train(path: Path = TITLES_FILE, cache_dir: Path | None = None) -> OccupationClassifier:
    """The classifier fitted on ``path``; loaded from ``cache_dir`` when fitted before."""
    cached = model_file(cache_dir, path) if cache_dir else None
    if cached and cached.exists():
        with cached.open("rb") as handle:
            model: OccupationClassifier = pickle.load(handle)  # noqa: S301 - our own cache
            return model
    frame = training_data(path)
    model = OccupationClassifier().fit(
        frame["title"].to_list(), frame["beroepsgroep_code"].to_list()
    )
    if cached:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(".tmp")
        with tmp.open("wb") as handle:
            pickle.dump(model, handle)
        tmp.replace(cached)  # atomic: several workers may train at once
    return model


class OccupationLookup:
    """Codes → names of BRC 2014 (groep and klasse), for answers people can read."""

    def __init__(self, reference_dir: Path) -> None:
        brc = pl.read_csv(reference_dir / "brc2014.csv", infer_schema=False)
        self.group_name = dict(brc.select("beroepsgroep_code", "beroepsgroep_naam").iter_rows())
        self.klasse_of = dict(brc.select("beroepsgroep_code", "beroepsklasse_code").iter_rows())
        self.klasse_name = dict(
            brc.select("beroepsklasse_code", "beroepsklasse_naam").unique().iter_rows()
        )

    def describe(self, code: str, score: float) -> Classification:
        if code == UNKNOWN or code not in self.group_name:
            return Classification(None, UNKNOWN, None, None, round(score, 4))
        klasse = self.klasse_of[code]
        return Classification(
            code, self.group_name[code], klasse, self.klasse_name[klasse], round(score, 4)
        )


def classify(
    model: OccupationClassifier, lookup: OccupationLookup, titles: list[str]
) -> list[Classification]:
    probabilities = model.predict_proba(titles)
    best = probabilities.argmax(axis=1)
    results = []
    for row, index in enumerate(best):
        score = float(probabilities[row, index])
        code = str(model.classes_[index]) if score >= model.min_score else UNKNOWN
        results.append(lookup.describe(code, score))
    return results


@lru_cache(maxsize=2)
def default_model(cache_dir: str) -> OccupationClassifier:
    """The classifier of this process, from the model folder ``cache_dir`` (trained into it
    on first use when :func:`prepare_model` has not run)."""
    return train(TITLES_FILE, Path(cache_dir) if cache_dir else None)


def prepare_model(cache_dir: Path | str) -> Path:
    """Make sure the classifier is fitted and cached under the setting ``cache_dir`` (in its
    ``models`` folder); fit it (about 10 s) only when the file is missing. ``init-db`` and the
    demo build call this, so that no ingest or request trains. Returns the model file."""
    folder = models_dir(cache_dir)
    target = model_file(folder)
    if not target.exists():
        train(TITLES_FILE, folder)
    return target


def cross_validate(
    path: Path = TITLES_FILE, reference_dir: Path | None = None, folds: int = 5
) -> pl.DataFrame:
    """Grouped cross-validated accuracy per beroepsklasse and overall (klasse "totaal").

    Variants of one title ("Senior Verpleegkundige (m/v) - Zwolle") share a fold (grouped by
    ``base_title``), so the figures are for titles the model has not seen in any form. Columns:
    titles; groep_accuracy and klasse_accuracy over all titles ("onbekend" counts as wrong);
    answered (share not "onbekend"); groep_precision (share right among those answered).
    """
    from sklearn.model_selection import GroupKFold

    frame = training_data(path)
    titles = np.array(frame["title"].to_list(), dtype=object)
    codes = np.array(frame["beroepsgroep_code"].to_list(), dtype=object)
    groups = np.array([base_title(t) for t in titles], dtype=object)
    predicted = np.empty_like(codes)
    for train_index, test_index in GroupKFold(n_splits=folds).split(titles, codes, groups):
        model = OccupationClassifier().fit(list(titles[train_index]), list(codes[train_index]))
        predicted[test_index] = model.predict(list(titles[test_index]))
    lookup = OccupationLookup(
        reference_dir or Path(__file__).resolve().parents[1] / "data" / "reference"
    )
    result = pl.DataFrame(
        {
            "klasse": [lookup.klasse_of[c] for c in codes],
            "group_ok": predicted == codes,
            "klasse_ok": [
                p != UNKNOWN and lookup.klasse_of.get(p) == lookup.klasse_of[c]
                for p, c in zip(predicted, codes, strict=True)
            ],
            "answered": predicted != UNKNOWN,
        }
    )
    measures = [
        pl.len().cast(pl.UInt32).alias("titles"),
        pl.col("group_ok").mean().alias("groep_accuracy"),
        pl.col("klasse_ok").mean().alias("klasse_accuracy"),
        pl.col("answered").mean().alias("answered"),
        (pl.col("group_ok").sum() / pl.col("answered").sum()).alias("groep_precision"),
    ]
    per_klasse = result.group_by("klasse").agg(measures).sort("klasse")
    total = result.select(pl.lit("totaal").alias("klasse"), *measures)
    both = pl.concat([per_klasse, total])
    names = {**lookup.klasse_name, "totaal": "alle beroepsklassen"}
    return both.with_columns(naam=pl.col("klasse").replace_strict(names, default=None))
