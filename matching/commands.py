"""Command-line groups of the matcher that are not about skills: occupations, programmes,
alignment and matching for a person (``regiokompas occupations …``)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from data.settings import get_settings


@click.group()
def occupations() -> None:
    """Occupations: classify job titles into BRC 2014 beroepsgroepen."""


@occupations.command("classify")
@click.argument("titles", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON (one object per title).")
def classify_command(titles: tuple[str, ...], as_json: bool) -> None:
    """Classify each TITLE ("Verpleegkundige (m/v) Zwolle"). A low-confidence answer is
    "onbekend" with null codes rather than a guess."""
    from matching.occupations import OccupationLookup, classify, default_model

    settings = get_settings()
    model = default_model(str(Path(settings.cache_dir) / "models"))
    results = classify(model, OccupationLookup(Path(settings.reference_dir)), list(titles))
    if as_json:
        payload = [r.as_dict() for r in results]
        click.echo(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False))
        return
    for title, result in zip(titles, results, strict=True):
        click.echo(f"{title}\t{result.code or '-'}\t{result.label}\t{result.klasse or '-'}\t"
                   f"{result.score:.2f}")


@occupations.command("evaluate")
@click.option("--folds", default=5, show_default=True, type=click.IntRange(2, 20),
              help="Number of cross-validation folds.")
def evaluate_command(folds: int) -> None:
    """Grouped cross-validated accuracy of the classifier per beroepsklasse (as a Markdown
    table for bench/RESULTS.md)."""
    from matching.occupations import cross_validate

    table = cross_validate(folds=folds, reference_dir=Path(get_settings().reference_dir))
    click.echo("| klasse | naam | titels | groep juist | klasse juist | beantwoord | "
               "groep juist als beantwoord |")
    click.echo("|---|---|---:|---:|---:|---:|---:|")
    for row in table.iter_rows(named=True):
        click.echo(
            f"| {row['klasse']} | {row['naam']} | {row['titles']} | "
            f"{row['groep_accuracy']:.3f} | {row['klasse_accuracy']:.3f} | "
            f"{row['answered']:.3f} | {row['groep_precision']:.3f} |"
        )
