"""``regiokompas ingest``: load vacancy exports from the command line."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from data.settings import Settings, get_settings

if TYPE_CHECKING:
    from data.ingest.pipeline import BatchReport

STAGES = {"lezen": "Lezen", "laden": "Laden", "ontdubbelen": "Ontdubbelen"}


def _settings(ctx: click.Context) -> Settings:
    root = ctx.find_root().obj
    return root if isinstance(root, Settings) else get_settings()


def _print_report(console: Console, reports: Sequence[BatchReport]) -> None:
    table = Table(title="Ingestie")
    for heading in ("bestand", "batch", "gelezen", "geaccepteerd", "afgewezen", "dubbel",
                    "plaats onbekend", "status"):  # fmt: skip
        table.add_column(heading, justify="left" if heading in {"bestand", "status"} else "right")
    reasons = Table(title="Afgewezen rijen")
    for heading in ("bestand", "code", "veld", "reden", "aantal"):
        reasons.add_column(heading, justify="right" if heading == "aantal" else "left")
    numbering = set()
    for report in reports:
        status = "al geladen" if report.already_loaded else "geladen"
        table.add_row(
            report.file_name,
            str(report.batch_id or "-"),
            f"{report.read:,}".replace(",", "."),
            f"{report.accepted:,}".replace(",", "."),
            f"{report.rejected:,}".replace(",", "."),
            f"{report.duplicates:,}".replace(",", "."),
            f"{report.unresolved_places:,}".replace(",", "."),
            status,
        )
        for reason in report.reasons:
            reasons.add_row(
                report.file_name, reason.code, reason.field or "-", reason.message,
                f"{reason.count:,}".replace(",", "."),
            )  # fmt: skip
        if report.reasons:
            numbering.add(report.row_numbering)
    console.print(table)
    if reasons.row_count:
        console.print(reasons)
        for line in sorted(numbering):
            console.print(f"Rijnummers in de quarantaine: {line}.")


@click.command("ingest")
@click.argument(
    "paths",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
)
@click.option(
    "--source",
    default=None,
    help="Name of the source (source + id is unique). Default: the mapping's source, 'jobfeed' "
    "for Jobfeed exports, else the file name.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", "csv", "xlsx", "jsonl", "parquet"]),
    default="auto",
    show_default=True,
    help="File format; auto looks at the content and the name.",
)
@click.option(
    "--mapping",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="TOML or YAML file with column renames, date formats and a source name.",
)
@click.option("--sheet", default=None, help="XLSX: the sheet to read (default: the first).")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@click.pass_context
def ingest(
    ctx: click.Context,
    paths: tuple[Path, ...],
    source: str | None,
    fmt: str,
    mapping: Path | None,
    sheet: str | None,
    as_json: bool,
) -> None:
    """Load vacancy exports (CSV, XLSX, JSON Lines, Parquet; plain, .gz or .zip).

    Each file is one batch, committed whole or not at all. Rows that cannot be accepted are
    quarantined with a reason; a file loaded before is reported as already loaded. The native
    columns are id, title, employer, location, posted_at, closing_at, education_level, hours,
    contract_type, text, url (required: id, title, posted_at); Textkernel Jobfeed exports are
    recognised from their header; other exports need --mapping.
    """
    from data.ingest.pipeline import ingest_file
    from data.ingest.reasons import IngestError
    from data.ingest.schemas import Mapping
    from data.store import init_db

    settings = _settings(ctx)
    err = Console(stderr=True)
    init_db(settings.database_url)
    loaded_mapping = Mapping.load(mapping) if mapping else None
    reports = []
    failed = False
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        for path in paths:
            task = bar.add_task(path.name, total=None)

            def progress(
                stage: str, done: int, total: int, task: TaskID = task, name: str = path.name
            ) -> None:
                bar.update(
                    task,
                    description=f"{STAGES.get(stage, stage)} {name}",
                    completed=done,
                    total=total or None,
                )

            try:
                report = ingest_file(
                    settings.database_url,
                    path,
                    source=source,
                    fmt=fmt,
                    mapping=loaded_mapping,
                    progress=progress,
                    sheet=sheet,
                    reference_dir=Path(settings.reference_dir),
                )
            except IngestError as error:
                failed = True
                err.print(f"[red]Niet geladen[/red] {error}")
                continue
            finally:
                bar.remove_task(task)
            if report.already_loaded:
                err.print(f"{path.name}: al geladen (batch {report.batch_id}), niets toegevoegd")
            reports.append(report)
    if as_json:
        payload: object = [r.as_json() for r in reports]
        if len(paths) == 1 and len(reports) == 1:
            payload = reports[0].as_json()
        click.echo(json.dumps(payload))
    elif reports:
        _print_report(Console(), reports)
    if failed:
        ctx.exit(1)
