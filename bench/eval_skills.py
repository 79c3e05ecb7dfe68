"""Evaluate skill extraction against hand-annotated gold snippets.

    .venv/bin/python bench/eval_skills.py                      # bench/eval/skills_gold.jsonl
    .venv/bin/python bench/eval_skills.py --gold bench/eval/skills_gold_examples.jsonl --errors

The gold file has one JSON object per line::

    {"id": "...", "sector": "...", "text": "...",
     "spans": [{"start": 0, "end": 5, "skill_id": "excel", "required": true}, ...]}

A predicted match is correct when its ``skill_id`` equals a gold span's and the two spans
overlap; each gold span is matched at most once. Precision, recall and F1 are reported overall,
per skill type (the gold skill's type for hits and misses, the predicted skill's for false
alarms) and per sector, with the accuracy of the ``required`` flag over the correct matches.
Run by hand; paste the Markdown into bench/RESULTS.md with the date and the gold file.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "bench" / "eval" / "skills_gold.jsonl"
EXAMPLES = ROOT / "bench" / "eval" / "skills_gold_examples.jsonl"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def read_gold(path: Path) -> list[dict[str, Any]]:
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        for span in record["spans"]:
            surface = record["text"][span["start"] : span["end"]]
            if not surface.strip():
                raise ValueError(f"{path}:{number}: span {span} is empty")
        records.append(record)
    return records


class Counts:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.flag_right = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def required_accuracy(self) -> float:
        return self.flag_right / self.tp if self.tp else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "gold": self.tp + self.fn,
            "predicted": self.tp + self.fp,
            "tp": self.tp,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
            "required_accuracy": round(self.required_accuracy, 3),
        }


def align(
    gold: Sequence[Mapping[str, Any]], predicted: Sequence[Mapping[str, Any]]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs (gold index, predicted index), unmatched gold, unmatched predictions."""
    used: set[int] = set()
    pairs = []
    missed = []
    for g, span in enumerate(gold):
        best, best_overlap = None, 0
        for p, match in enumerate(predicted):
            if p in used or match["skill_id"] != span["skill_id"]:
                continue
            overlap = min(span["end"], match["end"]) - max(span["start"], match["start"])
            if overlap > best_overlap:
                best, best_overlap = p, overlap
        if best is None:
            missed.append(g)
        else:
            used.add(best)
            pairs.append((g, best))
    extra = [p for p in range(len(predicted)) if p not in used]
    return pairs, missed, extra


def evaluate(
    records: Iterable[Mapping[str, Any]],
    predictions: Mapping[str, Sequence[Mapping[str, Any]]],
    types: Mapping[str, str],
) -> dict[str, Any]:
    """Counts overall, per type and per sector, and the errors, for gold ``records`` and the
    ``predictions`` per record id."""
    overall = Counts()
    by_type: dict[str, Counts] = defaultdict(Counts)
    by_sector: dict[str, Counts] = defaultdict(Counts)
    errors: list[dict[str, Any]] = []
    for record in records:
        gold, predicted = record["spans"], predictions.get(record["id"], [])
        pairs, missed, extra = align(gold, predicted)
        sector = record.get("sector") or "-"
        text = record["text"]
        for g, p in pairs:
            right = bool(gold[g]["required"]) == bool(predicted[p]["required"])
            for counts in (
                overall,
                by_type[types.get(gold[g]["skill_id"], "unknown")],
                by_sector[sector],
            ):
                counts.tp += 1
                counts.flag_right += right
            if not right:
                errors.append(
                    {
                        "id": record["id"],
                        "kind": "required flag",
                        **gold[g],
                        "text": text[gold[g]["start"] : gold[g]["end"]],
                    }
                )
        for g in missed:
            for counts in (
                overall,
                by_type[types.get(gold[g]["skill_id"], "unknown")],
                by_sector[sector],
            ):
                counts.fn += 1
            errors.append(
                {
                    "id": record["id"],
                    "kind": "missed",
                    **gold[g],
                    "text": text[gold[g]["start"] : gold[g]["end"]],
                }
            )
        for p in extra:
            for counts in (
                overall,
                by_type[types.get(predicted[p]["skill_id"], "unknown")],
                by_sector[sector],
            ):
                counts.fp += 1
            errors.append(
                {
                    "id": record["id"],
                    "kind": "false alarm",
                    **{k: predicted[p][k] for k in ("start", "end", "skill_id", "required")},
                    "text": text[predicted[p]["start"] : predicted[p]["end"]],
                }
            )
    return {
        "overall": overall.as_dict(),
        "by_type": {k: v.as_dict() for k, v in sorted(by_type.items())},
        "by_sector": {k: v.as_dict() for k, v in sorted(by_sector.items())},
        "errors": errors,
    }


def markdown(report: Mapping[str, Any], title: str) -> str:
    header = "| {} | gold | predicted | precision | recall | F1 | required flag |"
    lines = [f"**{title}**", "", header.format("skill type"), "|---|---:|---:|---:|---:|---:|---:|"]

    def row(name: str, c: Mapping[str, Any]) -> str:
        return (
            f"| {name} | {c['gold']} | {c['predicted']} | {c['precision']:.2f} | "
            f"{c['recall']:.2f} | {c['f1']:.2f} | {c['required_accuracy']:.2f} |"
        )

    lines += [row(k, v) for k, v in report["by_type"].items()]
    lines.append(row("**all**", report["overall"]))
    lines += ["", header.format("sector"), "|---|---:|---:|---:|---:|---:|---:|"]
    lines += [row(k, v) for k, v in report["by_sector"].items()]
    return "\n".join(lines)


def run(gold_path: Path) -> dict[str, Any]:
    import polars as pl

    from matching.extraction import SkillExtractor
    from matching.taxonomy import load_taxonomy

    records = read_gold(gold_path)
    taxonomy = load_taxonomy(validate=False)
    extractor = SkillExtractor(id_column="id").fit(taxonomy)
    frame = pl.DataFrame(
        {"id": [r["id"] for r in records], "text": [r["text"] for r in records]},
        schema={"id": pl.String, "text": pl.String},
    )
    predictions: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for match in extractor.transform(frame).iter_rows(named=True):
        predictions[match["id"]].append(match)
    types = dict(taxonomy.select("skill_id", "type").iter_rows())
    return evaluate(records, predictions, types)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--gold", type=Path, default=None, help="gold JSONL (default: %(default)s)")
    parser.add_argument("--errors", action="store_true", help="list every miss and false alarm")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(argv)
    gold = args.gold or (GOLD if GOLD.exists() else EXAMPLES)
    report = run(gold)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    n = len(read_gold(gold))
    print(
        markdown(
            report, f"{gold.relative_to(ROOT) if gold.is_relative_to(ROOT) else gold}, {n} snippets"
        )
    )
    if args.errors:
        print()
        for error in report["errors"]:
            print(
                f"- {error['id']} {error['kind']}: {error['skill_id']} {error['text']!r} "
                f"(required={error['required']})"
            )


if __name__ == "__main__":
    main()
