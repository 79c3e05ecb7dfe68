"""Duplicate clusters: which postings are the same vacancy.

Two postings are linked when they are at most :attr:`DedupParams.window_days` apart and either

- have the same normalised title, ``employer_norm`` and gemeente (a repost, or the same vacancy
  on another site), or
- have near-identical texts: a MinHash estimate of the Jaccard similarity of their word
  3-gram sets of at least :attr:`DedupParams.threshold` (an intermediary that renames the
  employer, a site that writes the place differently).

Clusters are the connected components of these links, together with the clusters already in
the store. A cluster's id is the id of its first posting (earliest ``posted_at``, then lowest
id), the one posting with ``is_cluster_head``. The threshold was chosen from measurements on
the demo data, whose postings carry a ground-truth cluster (bench/RESULTS.md, "Duplicate
detection").

The MinHash is one-permutation hashing (Li, Owen and Zhang 2012) with rotation densification
(Shrivastava and Li 2014): one hash per 3-gram instead of one per permutation, so it runs as a
handful of vectorised passes (Polars for words, numpy for the rest) over each batch.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from data.ingest.transform import _WS_RUN

EMPTY = np.uint32(0xFFFFFFFF)
_MIX_A = np.uint64(0x9E3779B97F4A7C15)
_MIX_B = np.uint64(0xC2B2AE3D27D4EB4F)
_MIX_C = np.uint64(0xBF58476D1CE4E5B9)
_SEED = 0x5EED


@dataclass(frozen=True)
class DedupParams:
    """How postings are linked; see the module docstring."""

    window_days: int = 30
    threshold: float = 0.7
    bins: int = 64
    bands: int = 16
    min_words: int = 8  # texts shorter than this are matched on title/employer/place only

    @property
    def rows_per_band(self) -> int:
        return self.bins // self.bands


def _mix(values: np.ndarray) -> np.ndarray:
    """A 64-bit finaliser (splitmix64), so that bins and values use independent bits."""
    with np.errstate(over="ignore"):
        values = values ^ (values >> np.uint64(30))
        values = values * _MIX_C
        values = values ^ (values >> np.uint64(27))
        values = values * _MIX_B
        return values ^ (values >> np.uint64(31))


def minhash(texts: pl.Series, params: DedupParams) -> np.ndarray:
    """One-permutation MinHash signatures of word 3-grams: an (n, bins) uint32 array; a text
    with fewer than ``params.min_words`` words gets a row of :data:`EMPTY`."""
    # Words hashed after one explode: a flat column, rather than a hash per list element
    # (``list.eval``), which took twice as long.
    split = pl.DataFrame({"t": texts}).select(
        pl.col("t")
        .fill_null("")
        .str.to_lowercase()
        .str.replace_all(_WS_RUN, " ")
        .str.strip_chars()
        .str.split(" ")
        .alias("w")
    )
    lengths = split.select(pl.col("w").list.len()).to_series().to_numpy().astype(np.int64)
    hashes = (
        split.select(pl.col("w").explode().hash(_SEED)).to_series().to_numpy().astype(np.uint64)
    )
    return signatures(lengths, hashes, params)


def signatures(lengths: np.ndarray, hashes: np.ndarray, params: DedupParams) -> np.ndarray:
    """MinHash signatures from the word hashes of all texts, concatenated (``hashes``), and the
    number of words of each text (``lengths``)."""
    n = len(lengths)
    k = params.bins
    signature = np.full(n * k, EMPTY, dtype=np.uint32)
    if hashes.size >= 3:
        ends = np.repeat(np.cumsum(lengths), lengths)
        starts = np.arange(hashes.size, dtype=np.int64)
        valid = starts + 2 < ends
        doc = np.repeat(np.arange(n, dtype=np.int64), lengths)[valid]
        padded = np.concatenate([hashes, np.zeros(2, dtype=np.uint64)])
        with np.errstate(over="ignore"):
            shingle = padded[:-2] * _MIX_A ^ padded[1:-1] * _MIX_B ^ padded[2:]
        shingle = _mix(shingle[valid])
        long_enough = lengths[doc] >= params.min_words
        doc, shingle = doc[long_enough], shingle[long_enough]
        bins = (shingle & np.uint64(k - 1)).astype(np.int64)
        np.minimum.at(signature, doc * k + bins, (shingle >> np.uint64(32)).astype(np.uint32))
    return densify(signature.reshape(n, k))


def densify(signature: np.ndarray) -> np.ndarray:
    """Fill empty bins from the next non-empty bin to the right (circularly), offset by the
    distance, so that two texts agree on a filled bin about as often as on a real one."""
    result = signature.copy()
    empty = result == EMPTY
    has_any = ~empty.all(axis=1)
    k = signature.shape[1]
    step = 1
    while step < k and (empty & has_any[:, None]).any():
        shifted = np.roll(signature, -step, axis=1)
        take = empty & (shifted != EMPTY)
        with np.errstate(over="ignore"):
            result[take] = shifted[take] + np.uint32(step * 0x9E3779B1 & 0xFFFFFFFF)
        empty &= ~take
        step += 1
    return result


def band_keys(signature: np.ndarray, params: DedupParams) -> np.ndarray:
    """(n, bands) uint32 keys; 0 for a text without signature (never a candidate)."""
    n = signature.shape[0]
    r = params.rows_per_band
    keys = np.zeros((n, params.bands), dtype=np.uint64)
    wide = signature.astype(np.uint64)
    with np.errstate(over="ignore"):
        for band in range(params.bands):
            key = np.full(n, np.uint64(band + 1), dtype=np.uint64)
            for column in range(band * r, (band + 1) * r):
                key = _mix(key * _MIX_A ^ wide[:, column])
            keys[:, band] = key
    result = ((keys >> np.uint64(32)) | np.uint64(1)).astype(np.uint32)
    result[(signature == EMPTY).all(axis=1)] = 0
    return result


@dataclass
class Postings:
    """The dedup state of a set of postings, kept per row in compact arrays.

    ``signature`` keeps the low 16 bits of each MinHash value: enough to estimate similarity
    (two different values agree by chance once in 65,536) at an eighth of a full signature's
    memory."""

    ids: list[np.ndarray] = field(default_factory=list)
    days: list[np.ndarray] = field(default_factory=list)
    keys: list[np.ndarray] = field(default_factory=list)
    bands: list[np.ndarray] = field(default_factory=list)
    signature: list[np.ndarray] = field(default_factory=list)
    clusters: list[np.ndarray] = field(default_factory=list)
    is_new: list[np.ndarray] = field(default_factory=list)

    def add(
        self,
        frame: pl.DataFrame,
        params: DedupParams,
        *,
        new: bool,
    ) -> None:
        """Add postings: ``frame`` has id, posted_at, title_norm, employer_norm,
        gemeente_code, text and (for stored postings) cluster_id."""
        n = frame.height
        if n == 0:
            return
        key = frame.select(
            pl.when(
                pl.col("title_norm").is_not_null()
                & pl.col("employer_norm").is_not_null()
                & pl.col("gemeente_code").is_not_null()
            )
            .then(pl.struct("title_norm", "employer_norm", "gemeente_code").hash(_SEED) | 1)
            .otherwise(0)
        ).to_series()
        self.add_signatures(
            frame, minhash(frame["text"], params), key.cast(pl.UInt64).to_numpy(), params, new=new
        )

    def add_signatures(
        self,
        frame: pl.DataFrame,
        signature: np.ndarray,
        key: np.ndarray,
        params: DedupParams,
        *,
        new: bool,
    ) -> None:
        """Add postings whose MinHash ``signature`` and title/employer/place ``key`` (0: no
        key) are computed already; ``frame`` has id, posted_at and, for stored postings,
        cluster_id."""
        n = frame.height
        self.ids.append(frame["id"].cast(pl.Int64).to_numpy())
        self.days.append(frame["posted_at"].cast(pl.Int32).to_numpy())
        self.keys.append(key.astype(np.uint64))
        self.bands.append(band_keys(signature, params))
        self.signature.append((signature & 0xFFFF).astype(np.uint16))
        clusters = (
            frame["cluster_id"].fill_null(-1).cast(pl.Int64).to_numpy()
            if not new and "cluster_id" in frame.columns
            else np.full(n, -1, dtype=np.int64)
        )
        self.clusters.append(clusters)
        self.is_new.append(np.full(n, new, dtype=bool))

    def add_heads(self, ids: np.ndarray, days: np.ndarray, params: DedupParams) -> None:
        """Stored cluster heads outside the date window: they only decide who stays head."""
        n = len(ids)
        if n == 0:
            return
        self.ids.append(ids.astype(np.int64))
        self.days.append(days.astype(np.int32))
        self.keys.append(np.zeros(n, dtype=np.uint64))
        self.bands.append(np.zeros((n, params.bands), dtype=np.uint32))
        self.signature.append(np.zeros((n, params.bins), dtype=np.uint16))
        self.clusters.append(ids.astype(np.int64))
        self.is_new.append(np.zeros(n, dtype=bool))

    def __len__(self) -> int:
        return sum(len(a) for a in self.ids)


@dataclass
class Clustering:
    """The outcome for one batch."""

    new_ids: np.ndarray  # ids of the new postings
    new_cluster: np.ndarray  # their cluster ids
    moved: dict[int, int]  # stored cluster id → the cluster id it becomes
    links: int  # number of links found
    new_vacancies: int  # clusters of new postings only
    merged_clusters: int  # stored clusters that a new posting joined to another


def _pairs_within(
    sort_key: np.ndarray, days: np.ndarray, window: int, offsets: int
) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (i, j) with the same non-zero key, at most ``window`` days apart, among the
    ``offsets`` nearest neighbours in (key, day) order."""
    order = np.lexsort((days, sort_key))
    key_sorted = sort_key[order]
    day_sorted = days[order]
    left: list[np.ndarray] = []
    right: list[np.ndarray] = []
    for offset in range(1, offsets + 1):
        if len(order) <= offset:
            break
        same = (key_sorted[:-offset] == key_sorted[offset:]) & (key_sorted[offset:] != 0)
        close = np.abs(day_sorted[offset:] - day_sorted[:-offset]) <= window
        hit = np.nonzero(same & close)[0]
        left.append(order[hit])
        right.append(order[hit + offset])
    if not left:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    return np.concatenate(left), np.concatenate(right)


def cluster(postings: Postings, params: DedupParams) -> Clustering:
    """Link postings and return the clusters of the new ones (and stored clusters that move)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    ids = np.concatenate(postings.ids)
    days = np.concatenate(postings.days)
    keys = np.concatenate(postings.keys)
    bands = np.concatenate(postings.bands)
    signature = np.concatenate(postings.signature)
    clusters = np.concatenate(postings.clusters)
    is_new = np.concatenate(postings.is_new)
    n = len(ids)

    left, right = _pairs_within(keys, days, params.window_days, offsets=1)
    edges_left = [left]
    edges_right = [right]
    for band in range(params.bands):
        a, b = _pairs_within(bands[:, band], days, params.window_days, offsets=3)
        if len(a):
            similarity = (signature[a] == signature[b]).mean(axis=1)
            keep = similarity >= params.threshold
            edges_left.append(a[keep])
            edges_right.append(b[keep])
    left = np.concatenate(edges_left)
    right = np.concatenate(edges_right)
    # Only links that touch a new posting: stored clusters are not re-decided.
    touches_new = is_new[left] | is_new[right]
    left, right = left[touches_new], right[touches_new]
    links = len(left)
    # Stored postings stay with their stored cluster.
    stored = np.nonzero(clusters >= 0)[0]
    if len(stored):
        order = stored[np.lexsort((ids[stored], clusters[stored]))]
        same = clusters[order][1:] == clusters[order][:-1]
        left = np.concatenate([left, order[:-1][same]])
        right = np.concatenate([right, order[1:][same]])
    graph = coo_matrix((np.ones(len(left), dtype=np.int8), (left, right)), shape=(n, n))
    _, component = connected_components(graph, directed=False)

    # The head of each component: earliest day, then lowest id.
    order = np.lexsort((ids, days, component))
    first = np.ones(n, dtype=bool)
    first[1:] = component[order][1:] != component[order][:-1]
    head_of_component = np.empty(component.max() + 1 if n else 0, dtype=np.int64)
    head_of_component[component[order][first]] = ids[order][first]
    head = head_of_component[component]

    moved: dict[int, int] = {}
    for old, new in zip(clusters[stored], head[stored], strict=True):
        if old != new:
            moved[int(old)] = int(new)
    components = int(component.max()) + 1 if n else 0
    has_new = np.zeros(components, dtype=bool)
    has_new[component[is_new]] = True
    has_stored = np.zeros(components, dtype=bool)
    has_stored[component[~is_new]] = True
    # Stored clusters that a new posting joined into one: each merge removes a vacancy.
    touched = np.unique(np.stack([component[stored], clusters[stored]]), axis=1)
    per_component = np.bincount(touched[0], minlength=components) if touched.size else None
    merges = int((per_component[has_new] - 1).clip(min=0).sum()) if per_component is not None else 0
    return Clustering(
        new_ids=ids[is_new],
        new_cluster=head[is_new],
        moved=moved,
        links=links,
        new_vacancies=int((has_new & ~has_stored).sum()),
        merged_clusters=merges,
    )


def pair_scores(predicted: pl.Series, truth: pl.Series) -> dict[str, float]:
    """Pairwise precision and recall of a clustering against ground truth: a pair of postings
    counts when both put them in the same cluster."""
    frame = pl.DataFrame({"p": predicted, "t": truth})

    def pairs(counts: pl.Series) -> int:
        values = counts.cast(pl.Int64)
        return int((values * (values - 1) // 2).sum())

    predicted_pairs = pairs(frame.group_by("p").len()["len"])
    true_pairs = pairs(frame.group_by("t").len()["len"])
    both = pairs(frame.group_by("p", "t").len()["len"])
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return {
        "precision": precision,
        "recall": recall,
        "predicted_pairs": predicted_pairs,
        "true_pairs": true_pairs,
        "clusters": frame["p"].n_unique(),
        "true_clusters": frame["t"].n_unique(),
    }
