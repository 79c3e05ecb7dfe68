"""Does the requirement text help the occupation classifier? Grouped cross-validation on demo
vacancies, title only against title + requirement text (results in bench/RESULTS.md).

    nice -n 5 .venv/bin/python bench/eval/occupations_text.py [--postings 8000] [--seed 11]

The labelled title list (``matching/data/job_titles.csv``) has no texts, so the demo data are the
only labelled vacancies with texts. Their requirement parts are drawn from each occupation's own
skill list, so a gain here is an upper bound that real vacancies need not show.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

import numpy as np
from scipy.sparse import csr_matrix, hstack
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from data.demo.generator import generate_chunks, load_world  # noqa: E402
from data.places import PlaceResolver  # noqa: E402
from data.settings import REFERENCE_DIR, get_settings  # noqa: E402
from matching.occupations import (  # noqa: E402
    TITLES_FILE,
    UNKNOWN,
    OccupationClassifier,
    base_title,
    clean_title,
    models_dir,
    train,
)


def demo_vacancies(postings: int, seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Titles, requirement parts and beroepsgroep codes of the demo's cluster heads."""
    end = dt.date(2026, 10, 1)
    world = load_world(REFERENCE_DIR, end)
    resolver = PlaceResolver.from_reference(REFERENCE_DIR)
    titles, requirements, codes = [], [], []
    for vacancies, links in generate_chunks(world, resolver, postings, seed, end):
        code = {link["vacancy_id"]: link["occupation_code"] for link in links}
        for vacancy in vacancies:
            if vacancy["is_cluster_head"]:
                titles.append(vacancy["title"])
                requirements.append((vacancy["sections"] or {}).get("requirements") or "")
                codes.append(code[vacancy["id"]])
    return (
        np.array(titles, dtype=object),
        np.array(requirements, dtype=object),
        np.array(codes, dtype=object),
    )


def grouped_cv(
    titles: np.ndarray, requirements: np.ndarray, codes: np.ndarray, with_text: bool
) -> tuple[float, float]:
    """Share right and share answered, 5 folds grouped by base title, the shipped settings."""
    groups = np.array([base_title(t) for t in titles], dtype=object)
    reference = OccupationClassifier()
    predicted = np.empty_like(codes)
    for train_index, test_index in GroupKFold(n_splits=5).split(titles, codes, groups):
        chars = TfidfVectorizer(
            analyzer="char_wb",
            ngram_range=reference.ngram_range,
            sublinear_tf=True,
            strip_accents="unicode",
        )
        x_train: csr_matrix = chars.fit_transform([clean_title(t) for t in titles[train_index]])
        x_test: csr_matrix = chars.transform([clean_title(t) for t in titles[test_index]])
        if with_text:
            words = TfidfVectorizer(sublinear_tf=True, strip_accents="unicode", min_df=2)
            x_train = hstack([x_train, words.fit_transform(requirements[train_index])]).tocsr()
            x_test = hstack([x_test, words.transform(requirements[test_index])]).tocsr()
        model = LogisticRegression(C=reference.C, max_iter=3000).fit(x_train, codes[train_index])
        probabilities = model.predict_proba(x_test)
        labels = model.classes_[probabilities.argmax(axis=1)].astype(object)
        labels[probabilities.max(axis=1) < reference.min_score] = UNKNOWN
        predicted[test_index] = labels
    return float((predicted == codes).mean()), float((predicted != UNKNOWN).mean())


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--postings", type=int, default=8000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    titles, requirements, codes = demo_vacancies(args.postings, args.seed)
    print(
        f"{len(titles)} demo vacancies, {len(set(codes))} beroepsgroepen, "
        f"{len({base_title(t) for t in titles})} base titles"
    )
    shipped = train(TITLES_FILE, models_dir(get_settings().cache_dir))
    answer = shipped.predict(list(titles))
    print(
        f"| (the shipped title model on the demo titles) | {(answer == codes).mean():.3f} | "
        f"{(answer != UNKNOWN).mean():.3f} |"
    )
    for with_text in (False, True):
        started = time.perf_counter()
        right, answered = grouped_cv(titles, requirements, codes, with_text)
        name = "title + requirement text" if with_text else "title only"
        print(f"| {name} | {right:.3f} | {answered:.3f} |  ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
