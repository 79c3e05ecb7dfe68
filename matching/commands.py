"""Command-line groups of the matcher that are not about skills: occupations, programmes,
alignment and matching for a person (``regiokompas occupations …``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from data.settings import get_settings

F = TypeVar("F", bound=Callable[..., Any])

REGION_HELP = "Region code: GMxxxx, AMxx, PVxx, CRxx, an own region, or NL."


def json_option(help: str = "Print JSON.") -> Callable[[F], F]:
    """``--json`` (as ``as_json``), the switch every matcher command has."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def region_option(function: F) -> F:
    """``--region`` (as ``region_code``), NL (the whole country) when left out."""
    return click.option(
        "--region", "region_code", default="NL", show_default=True, help=REGION_HELP
    )(function)


def months_option(default: int, maximum: int, help: str) -> Callable[[F], F]:
    """``--months``: the length of the period that ends with the newest month with data."""
    return click.option(
        "--months",
        default=default,
        show_default=True,
        type=click.IntRange(1, maximum),
        help=help,
    )


@click.group()
def occupations() -> None:
    """Occupations: classify job titles into BRC 2014 beroepsgroepen."""


@occupations.command("classify")
@click.argument("titles", nargs=-1, required=True)
@json_option("Print JSON (one object per title).")
def classify_command(titles: tuple[str, ...], as_json: bool) -> None:
    """Classify each TITLE ("Verpleegkundige (m/v) Zwolle"). A low-confidence answer is
    "onbekend" with null codes rather than a guess."""
    from matching.occupations import OccupationLookup, classify, default_model, models_dir

    settings = get_settings()
    model = default_model(str(models_dir(settings.cache_dir)))
    results = classify(model, OccupationLookup(Path(settings.reference_dir)), list(titles))
    if as_json:
        payload = [r.as_dict() for r in results]
        click.echo(json.dumps(payload[0] if len(payload) == 1 else payload, ensure_ascii=False))
        return
    for title, result in zip(titles, results, strict=True):
        click.echo(
            f"{title}\t{result.code or '-'}\t{result.label}\t{result.klasse or '-'}\t"
            f"{result.score:.2f}"
        )


@occupations.command("evaluate")
@click.option(
    "--folds",
    default=5,
    show_default=True,
    type=click.IntRange(2, 20),
    help="Number of cross-validation folds.",
)
def evaluate_command(folds: int) -> None:
    """Grouped cross-validated accuracy of the classifier per beroepsklasse (as a Markdown
    table for bench/RESULTS.md)."""
    from matching.occupations import cross_validate

    table = cross_validate(folds=folds, reference_dir=Path(get_settings().reference_dir))
    click.echo(
        "| klasse | naam | titels | groep juist | klasse juist | beantwoord | "
        "groep juist als beantwoord |"
    )
    click.echo("|---|---|---:|---:|---:|---:|---:|")
    for row in table.iter_rows(named=True):
        click.echo(
            f"| {row['klasse']} | {row['naam']} | {row['titles']} | "
            f"{row['groep_accuracy']:.3f} | {row['klasse_accuracy']:.3f} | "
            f"{row['answered']:.3f} | {row['groep_precision']:.3f} |"
        )


def _region_gemeenten(code: str) -> tuple[str, tuple[str, ...]]:
    """Name and member gemeenten of a region code (GM, AM, PV, CR or an own region); NL is the
    whole country."""
    from sqlalchemy import select

    from data.store import Region, RegionMember, session_scope

    if code.upper() == "NL":
        return "Nederland", ()
    with session_scope(get_settings().database_url) as session:
        rows = session.execute(
            select(Region.name, RegionMember.gemeente_code)
            .join(RegionMember, RegionMember.region_id == Region.id)
            .where(Region.code == code)
        ).all()
    if not rows:
        raise click.BadParameter(f"unknown region {code!r} (see `regiokompas regions`)")
    return rows[0][0], tuple(sorted(g for _, g in rows))


def _newest_month() -> dt.date:
    """The newest month with vacancies: the end of every period the commands report on."""
    from sqlalchemy import func, select

    from data.store import DemandMonth, session_scope

    with session_scope(get_settings().database_url) as session:
        last = session.execute(select(func.max(DemandMonth.month))).scalar()
    if last is None:
        raise click.ClickException("the store holds no vacancies yet")
    return last


@click.command()
@click.option("--programme", "code", required=True, help="Crebo (or CROHO) code.")
@region_option
@months_option(12, 36, "Length of the period, up to the newest month with data.")
@json_option()
def align(code: str, region_code: str, months: int, as_json: bool) -> None:
    """How well a programme's skill profile covers the skill demand of a region: coverage,
    missing skills by demand share, taught skills rarely asked, vacancies per graduate, trend.
    """
    from data.store import session_scope
    from matching.alignment import align_programme, skill_labels

    name, gemeenten = _region_gemeenten(region_code)
    last = _newest_month()
    with session_scope(get_settings().database_url) as session:
        result = align_programme(session, code, gemeenten, last, months)
        if result is None:
            raise click.ClickException(f"unknown programme {code!r}")
        ids = (
            result.missing["skill_id"].to_list()
            + result.rarely_asked["skill_id"].to_list()
            + result.covered["skill_id"].to_list()
        )
        labels = skill_labels(session, ids)

    def skills(frame: Any, limit: int = 15) -> list[dict[str, Any]]:
        return [
            {
                "skill_id": labels[r["skill_id"]][0],
                "label": labels[r["skill_id"]][1],
                "share": round(r["share"], 4),
            }
            for r in frame.head(limit).iter_rows(named=True)
        ]

    missing, rare = skills(result.missing), skills(result.rarely_asked)
    payload = {
        "programme": code,
        "region": region_code,
        "region_name": name,
        "period_last_month": str(last),
        "months": months,
        "relevant_vacancies": result.relevant_vacancies,
        "coverage": None if result.coverage is None else round(result.coverage, 4),
        "previous_relevant_vacancies": result.previous_relevant_vacancies,
        "previous_coverage": None
        if result.previous_coverage is None
        else round(result.previous_coverage, 4),
        "graduates": result.graduates,
        "vacancies_per_graduate": result.vacancies_per_graduate,
        "missing_skills": missing,
        "rarely_asked": rare,
        "covered_skills": skills(result.covered),
        "small_count": "small_count" in result.notes,
    }
    if as_json:
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(
        f"{code} in {name}: {result.relevant_vacancies} relevant vacancies, "
        f"coverage {payload['coverage']}"
    )
    click.echo("Missing: " + ", ".join(f"{s['label']} ({s['share']:.0%})" for s in missing))
    click.echo("Rarely asked: " + ", ".join(str(s["label"]) for s in rare))


@click.command()
@region_option
@click.option("--skills", "skill_text", default=None, help='Skills, e.g. "Excel, VCA, Engels".')
@click.option(
    "--text",
    "text_file",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="A CV or qualification text to read the skills from.",
)
@click.option(
    "--top",
    default=10,
    show_default=True,
    type=click.IntRange(1, 100),
    help="Number of vacancies to list.",
)
@json_option()
def match(
    region_code: str, skill_text: str | None, text_file: str | None, top: int, as_json: bool
) -> None:
    """The open vacancies in a region that fit a skill profile best, each with the required
    skills the profile lacks. Nothing entered is stored."""
    from data.store import session_scope
    from matching.person import match_profile, profile_from_text
    from matching.pipeline import extractor_for

    if bool(skill_text) == bool(text_file):
        raise click.UsageError("give either --skills or --text")
    text = skill_text or Path(str(text_file)).read_text(encoding="utf-8")
    _, gemeenten = _region_gemeenten(region_code)
    keys = profile_from_text(extractor_for(get_settings().reference_dir), text)
    with session_scope(get_settings().database_url) as session:
        results = match_profile(session, keys, gemeenten, top=top)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "profile": keys,
                    "vacancies": [
                        {
                            "vacancy_id": r.vacancy_id,
                            "title": r.title,
                            "employer": r.employer,
                            "gemeente_code": r.gemeente_code,
                            "posted_at": str(r.posted_at),
                            "score": r.score,
                            "matched": list(r.matched),
                            "missing": list(r.missing),
                        }
                        for r in results
                    ],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    click.echo("Profile: " + ", ".join(keys))
    for r in results:
        click.echo(
            f"{r.score:.2f}  {r.title} — {r.employer or '?'}  (mist: {', '.join(r.missing) or '–'})"
        )


@click.group()
def programmes() -> None:
    """Programmes: skill profiles of mbo qualifications (and CROHO programmes)."""


@programmes.command("profile")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@json_option()
def profile_command(file: str, as_json: bool) -> None:
    """Derive a skill profile from a qualification text (kerntaken, werkprocessen): every
    taxonomy skill the text names, with how often and an example of where."""
    from matching.pipeline import extractor_for

    text = Path(file).read_text(encoding="utf-8")
    found = extractor_for(get_settings().reference_dir).extract(text)
    profile: dict[str, dict[str, object]] = {}
    for m in found:
        entry = profile.setdefault(
            m.skill_id,
            {
                "skill_id": m.skill_id,
                "label": m.label,
                "type": m.type,
                "mentions": 0,
                "evidence": text[m.start : m.end],
                "start": m.start,
                "end": m.end,
            },
        )
        entry["mentions"] = int(entry["mentions"]) + 1  # type: ignore[call-overload]
    rows = sorted(profile.values(), key=lambda e: (-int(e["mentions"]), str(e["label"])))  # type: ignore[call-overload]
    if as_json:
        click.echo(json.dumps({"skills": rows}, ensure_ascii=False, indent=2))
        return
    for row in rows:
        click.echo(f"{row['label']}\t{row['type']}\t{row['mentions']}×")


@click.command()
@region_option
@months_option(6, 12, "Length of the recent window (compared with the window before it).")
@click.option(
    "--min-support",
    default=20,
    show_default=True,
    type=click.IntRange(1),
    help="Vacancies a skill needs in the recent window to be listed.",
)
@click.option(
    "--terms/--no-terms",
    default=True,
    show_default=True,
    help="Also list frequent requirement terms that are not in the taxonomy.",
)
@json_option()
def emerging(region_code: str, months: int, min_support: int, terms: bool, as_json: bool) -> None:
    """Fastest-growing skills (share of vacancies, recent window against the one before) and
    candidate terms for the taxonomy."""
    from data.store import session_scope
    from matching.emerging import candidate_terms, emerging_skills

    _, gemeenten = _region_gemeenten(region_code)
    last = _newest_month()
    with session_scope(get_settings().database_url) as session:
        skills = emerging_skills(session, last, gemeenten, months, min_support)
        candidates = (
            candidate_terms(session, last, months, reference_dir=get_settings().reference_dir)
            if terms
            else None
        )
    if as_json:
        click.echo(
            json.dumps(
                {
                    "skills": skills.drop("skill_id").to_dicts(),
                    "candidate_terms": candidates.to_dicts() if candidates is not None else [],
                },
                ensure_ascii=False,
                indent=2,
                default=str,
            )
        )
        return
    for row in skills.iter_rows(named=True):
        growth = "nieuw" if row["growth"] is None else f"×{row['growth']:.2f}"
        click.echo(f"{row['label']}\t{row['vacancies']}\t{row['share']:.1%}\t{growth}")
    if candidates is not None and candidates.height:
        click.echo("\nKandidaat-termen: " + ", ".join(candidates["term"].to_list()))
