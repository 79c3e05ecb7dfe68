"""The ``regiokompas`` command line: serve, warm, demo, init-db, regions, places, hash-password.

The ``--help`` texts are the documentation of each command.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from sqlalchemy import func, select

from data.ingest.cli import ingest
from data.settings import Settings, get_settings
from matching.cli import skills, taxonomy

err = Console(stderr=True)


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj if isinstance(ctx.obj, Settings) else get_settings()


def ensure_store(
    settings: Settings, *, with_demo: bool, vacancies: int = 60_000, seed: int = 42
) -> None:
    """Bring the schema up to date, load reference data once, and build the demo data set when
    the store has no vacancies at all (the README's run command relies on this)."""
    from data.loaders import load_reference
    from data.store import Region, Vacancy, init_db, session_scope

    init_db(settings.database_url)
    with session_scope(settings.database_url) as session:
        if not session.execute(select(func.count(Region.id))).scalar():
            err.print("Referentiedata laden (regio's, plaatsen, beroepen, opleidingen, skills)…")
            load_reference(session, Path(settings.reference_dir), settings.reference_year)
        empty = not session.execute(select(func.count(Vacancy.id))).scalar()
    if with_demo and empty:
        err.print("De database is leeg: demodata (synthetisch) bouwen…")
        _build_demo(settings, vacancies, seed, None)


def _build_demo(settings: Settings, vacancies: int, seed: int, end_month: dt.date | None) -> Any:
    from data.demo.generator import build_demo
    from data.store import session_scope

    with Progress(
        TextColumn("[bold]Demodata"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
        disable=not err.is_terminal,
    ) as progress:
        task = progress.add_task("demo", total=vacancies)
        with session_scope(settings.database_url) as session:
            summary = build_demo(
                session,
                Path(settings.reference_dir),
                n=vacancies,
                seed=seed,
                end_month=end_month,
                progress=lambda n: progress.advance(task, n),
            )
    return summary


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Regiokompas: the regional labour market next to education programmes.

    Settings come from REGIOKOMPAS_* environment variables (see the README).
    """
    ctx.obj = get_settings()


cli.add_command(ingest)
cli.add_command(skills)
cli.add_command(taxonomy)


@cli.command("init-db")
@click.pass_context
def init_db_command(ctx: click.Context) -> None:
    """Create or upgrade the database schema and (re)load the reference data."""
    from data.loaders import load_reference
    from data.store import init_db, session_scope

    settings = _settings(ctx)
    init_db(settings.database_url)
    with session_scope(settings.database_url) as session:
        summary = load_reference(session, Path(settings.reference_dir), settings.reference_year)
    click.echo(
        f"Schema up to date. Loaded {summary.regions} regions, {summary.aliases} place aliases, "
        f"{summary.occupations} BRC classes, {summary.programmes} programmes, "
        f"{summary.skills} skills."
    )


def _month(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError as error:
        raise click.BadParameter("use YYYY-MM, for example 2026-10") from error


@cli.command()
@click.option(
    "--vacancies",
    "-n",
    default=60_000,
    show_default=True,
    type=click.IntRange(1),
    help="Number of vacancy postings to make (reposts included).",
)
@click.option(
    "--seed",
    default=42,
    show_default=True,
    type=int,
    help="Random seed; the same seed, size and end month give identical data.",
)
@click.option(
    "--end-month",
    callback=_month,
    default=None,
    metavar="YYYY-MM",
    help="Last month of the 24 months of data. Default: the last complete month.",
)
@click.pass_context
def demo(ctx: click.Context, vacancies: int, seed: int, end_month: dt.date | None) -> None:
    """Replace the demo data by a deterministic synthetic data set for all 342 gemeenten.

    Every record carries the demo flag and the pages say "Demodata (synthetisch)". Real data
    loaded with `regiokompas ingest` is left alone.
    """
    settings = _settings(ctx)
    ensure_store(settings, with_demo=False)
    if end_month is None:
        end_month = (dt.date.today().replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    summary = _build_demo(settings, vacancies, seed, end_month)
    click.echo(
        f"Demo data built: {summary.vacancies} postings of {summary.clusters} vacancies "
        f"({summary.unresolved} with an unresolved place), {summary.supply_rows} supply figures, "
        f"up to {end_month:%Y-%m}, seed {seed}."
    )


@cli.command()
@click.option(
    "--level",
    type=click.Choice(["gemeente", "arbeidsmarktregio", "provincie", "corop"]),
    default="gemeente",
    show_default=True,
    help="Which regional division to list.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_context
def regions(ctx: click.Context, level: str, as_json: bool) -> None:
    """List the codes and names of a regional division (2025)."""
    from data.loaders import regions_frame

    frame = regions_frame(Path(_settings(ctx).reference_dir), level)
    if as_json:
        click.echo(json.dumps(frame.to_dicts(), ensure_ascii=False, indent=2))
        return
    table = Table(title=f"{level} ({frame.height})")
    for column in frame.columns:
        table.add_column(column)
    for row in frame.iter_rows():
        table.add_row(*[str(value) for value in row])
    Console().print(table)


@cli.group()
def places() -> None:
    """Place names: resolve free-text vacancy locations to a gemeente."""


@places.command("resolve")
@click.argument("text", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def places_resolve(ctx: click.Context, text: tuple[str, ...], as_json: bool) -> None:
    """Resolve each TEXT ("Den Bosch", "3011 AB Rotterdam", "Zwolle e.o.") to a gemeente.

    Unresolvable texts ("Thuiswerken", "Randstad", a name in several gemeenten) get null codes
    and a method that says why; the resolver never guesses.
    """
    from data.places import PlaceResolver

    resolver = PlaceResolver.from_reference(Path(_settings(ctx).reference_dir))
    results = [resolver.resolve(item).as_dict() for item in text]
    if as_json:
        payload: object = results[0] if len(results) == 1 else results
        click.echo(json.dumps(payload, ensure_ascii=False))
        return
    for result in results:
        code = result["gemeente_code"] or "-"
        click.echo(
            f"{result['input']}\t{code}\t{result['gemeente_naam'] or '-'}\t{result['method']}"
        )


@cli.command("hash-password")
@click.password_option(prompt="Admin password", help="The password (asked when omitted).")
def hash_password(password: str) -> None:
    """Print the hash to put in REGIOKOMPAS_ADMIN_PASSWORD_HASH."""
    from werkzeug.security import generate_password_hash

    click.echo(generate_password_hash(password))


@cli.command()
@click.option("--host", default=None, help="Address to listen on (default: setting host).")
@click.option("--port", default=None, type=int, help="Port (default: setting port).")
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1),
    help="gunicorn worker processes.",
)
@click.option(
    "--demo/--no-demo",
    "with_demo",
    default=True,
    show_default=True,
    help="Build the demo data first when the database is empty.",
)
@click.option(
    "--demo-vacancies",
    default=60_000,
    show_default=True,
    type=click.IntRange(1),
    help="Size of that demo data set, in postings.",
)
@click.option("--dev", is_flag=True, help="Run Dash's development server with reloading.")
@click.pass_context
def serve(
    ctx: click.Context,
    host: str | None,
    port: int | None,
    workers: int,
    with_demo: bool,
    demo_vacancies: int,
    dev: bool,
) -> None:
    """Serve the dashboard (gunicorn), after preparing the database."""
    settings = _settings(ctx)
    ensure_store(settings, with_demo=with_demo, vacancies=demo_vacancies)
    host = host or settings.host
    port = port or settings.port
    err.print(f"Regiokompas draait op http://{host}:{port}/")
    if dev:
        from dashboard.app_factory import create_app

        create_app(settings).run(host=host, port=port, debug=True)
        return
    run_gunicorn(host, port, workers)


@cli.command("warm")
@click.option(
    "--address",
    required=True,
    help="The public address visitors use, e.g. https://regiokompas.example (kept answers and "
    "share links depend on it).",
)
@click.option(
    "--regio",
    "regio",
    multiple=True,
    default=("NL",),
    show_default=True,
    help="Region code to warm (repeat for more): NL, GM0193, AM36, PV23, an own region's code.",
)
@click.option(
    "--niveau",
    type=click.Choice(["gemeente", "arbeidsmarktregio", "provincie", "corop"]),
    default=None,
    help="Also every region of this level.",
)
@click.option(
    "--taal",
    "languages",
    multiple=True,
    type=click.Choice(["nl", "en"]),
    default=("nl",),
    show_default=True,
    help="Interface language to warm (repeat for both).",
)
@click.pass_context
def warm_command(
    ctx: click.Context,
    address: str,
    regio: tuple[str, ...],
    niveau: str | None,
    languages: tuple[str, ...],
) -> None:
    """Fill the shared cache for the views people open first (run it after an ingest).

    Builds the overview, map, shortage and vacancy pages for each region and language, and
    over de data, as a visitor at ADDRESS would see them; every worker then opens them from the
    cache until the data changes again.
    """
    from dashboard.warm import warm
    from data.store import Region, session_scope

    settings = _settings(ctx)
    if settings.cache_type == "NullCache":
        raise click.UsageError("REGIOKOMPAS_CACHE_TYPE is NullCache: there is no cache to fill.")
    codes = list(dict.fromkeys(regio))
    if niveau:
        with session_scope(settings.database_url) as session:
            level = select(Region.code).where(Region.level == niveau).order_by(Region.code)
            codes += [code for code in session.execute(level).scalars() if code not in codes]
    table = Table("pagina", "regio", "taal", "status", "cache", "s")
    failed = 0
    for done in warm(settings, address, codes, languages):
        failed += done.status != 200
        table.add_row(
            done.path,
            done.region,
            done.lang,
            str(done.status),
            done.kept or "-",
            f"{done.seconds:.2f}",
        )
    Console().print(table)
    if failed:
        raise click.ClickException(f"{failed} view(s) did not answer 200; see the server log.")


def run_gunicorn(host: str, port: int, workers: int) -> None:
    """Replace this process by gunicorn serving ``app:server``.

    A fresh interpreter, not gunicorn inside this one: preparing the store (the demo build, the
    matcher) starts Polars' thread pool, and worker processes forked from a process whose
    threads were running can deadlock on a lock one of those threads held at the fork. The
    settings travel in the environment, as they came in.
    """
    import os

    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
        "--timeout",
        "120",
        "--access-logfile",
        "-",
        "app:server",
    ]
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, command)


from matching.commands import align, emerging, match, occupations, programmes  # noqa: E402

for _command in (occupations, programmes, align, match, emerging):
    cli.add_command(_command)
