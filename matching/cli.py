"""The ``regiokompas skills`` and ``regiokompas taxonomy`` commands.

The ``--help`` texts are the documentation of each command.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import click
import polars as pl

from data.settings import Settings, get_settings

USER_FILE_HELP = (
    "User taxonomy file (same columns as skills.csv). Default: the setting skills_user_file "
    "(REGIOKOMPAS_SKILLS_USER_FILE), else <reference_dir>/skills_user.csv."
)


def _settings(ctx: click.Context) -> Settings:
    return ctx.obj if isinstance(ctx.obj, Settings) else get_settings()


def _user_path(ctx: click.Context, user_file: Path | None) -> Path:
    from matching.taxonomy import default_user_path

    settings = _settings(ctx)
    return user_file or default_user_path(settings.reference_dir, settings)


@click.group()
def skills() -> None:
    """Skills in vacancy texts: extraction with evidence spans."""


def _read_jsonl(handle: TextIO, name: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise click.ClickException(f"{name}, line {number}: not JSON ({error.msg})") from error
        if not isinstance(record, dict) or not isinstance(record.get("text"), str | None):
            raise click.ClickException(f"{name}, line {number}: expected an object with a text")
        yield record


@skills.command("extract")
@click.option(
    "--input",
    "input_file",
    type=click.File("r", encoding="utf-8"),
    default=None,
    help="JSON Lines file with a `text` field per line ('-' for standard input). Without it, "
    "standard input is one plain text.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help='Write JSON Lines, one {"skills": [...]} per input text, in input order.',
)
@click.option("--user-file", type=click.Path(path_type=Path), default=None, help=USER_FILE_HELP)
@click.pass_context
def skills_extract(
    ctx: click.Context, input_file: TextIO | None, as_json: bool, user_file: Path | None
) -> None:
    """Find the skills in vacancy texts, with the span, section and required flag of each.

    Each skill has skill_id, label, type, start and end (character offsets into the text),
    text (the words found), section (requirement, offer or other) and required. Without
    --json a table per text is printed.
    """
    from matching.extraction import OUTPUT_SCHEMA, SkillExtractor
    from matching.taxonomy import load_taxonomy

    if input_file is None:
        records: list[dict[str, Any]] = [{"text": sys.stdin.read()}]
    else:
        records = list(_read_jsonl(input_file, input_file.name))
    taxonomy = load_taxonomy(
        _settings(ctx).reference_dir, _user_path(ctx, user_file), validate=False
    )
    extractor = SkillExtractor().fit(taxonomy)
    found = extractor.transform(
        pl.DataFrame({"text": [r.get("text") or "" for r in records]}, schema={"text": pl.String})
    )
    per_text: list[list[dict[str, Any]]] = [[] for _ in records]
    for match in found.iter_rows(named=True):
        per_text[match["row"]].append({k: match[k] for k in OUTPUT_SCHEMA})
    for record, matches in zip(records, per_text, strict=True):
        payload: dict[str, Any] = {"id": record["id"]} if "id" in record else {}
        payload["skills"] = matches
        if as_json:
            click.echo(json.dumps(payload, ensure_ascii=False))
            continue
        title = f"{record['id']}: " if "id" in record else ""
        click.echo(f"{title}{len(matches)} skill(s)")
        for m in matches:
            flag = "required" if m["required"] else "-"
            click.echo(
                f"  {m['start']:>5}-{m['end']:<5} {m['skill_id']:<28} {m['section']:<11} "
                f"{flag:<8} {m['text']}"
            )


@click.group()
def taxonomy() -> None:
    """The skill taxonomy: reference seed, user additions, ESCO import."""


@taxonomy.command("validate")
@click.option("--user-file", type=click.Path(path_type=Path), default=None, help=USER_FILE_HELP)
@click.pass_context
def taxonomy_validate(ctx: click.Context, user_file: Path | None) -> None:
    """Check the merged taxonomy: unique ids, known types, no form shared by two skills, and
    no form that is no evidence of its skill (a benefit such as "opleidingsbudget", "kennis
    van" before another form of the same skill, "goed Engels" on a skill with a CEFR level)."""
    from matching.taxonomy import load_taxonomy, validate_taxonomy

    frame = load_taxonomy(_settings(ctx).reference_dir, _user_path(ctx, user_file), validate=False)
    problems = validate_taxonomy(frame)
    for problem in problems:
        click.echo(problem)
    click.echo(f"{frame.height} skills, {len(problems)} problem(s).")
    if problems:
        ctx.exit(1)


def _store_has_skills(url: str) -> bool:
    """Whether a store with a skills table exists at ``url`` (without creating one)."""
    from sqlalchemy import inspect
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import SQLAlchemyError

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if not database or database == ":memory:" or not Path(database).exists():
            return False
    try:
        from data.store.session import engine_for

        return bool(inspect(engine_for(url)).has_table("skills"))
    except SQLAlchemyError:
        return False


@taxonomy.command("import-esco")
@click.argument("esco_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Report what would change; write nothing.")
@click.option(
    "--match-only",
    is_flag=True,
    help="Only fill in the ESCO URI of existing skills; add no new skills.",
)
@click.option("--user-file", type=click.Path(path_type=Path), default=None, help=USER_FILE_HELP)
@click.pass_context
def taxonomy_import_esco(
    ctx: click.Context, esco_file: Path, dry_run: bool, match_only: bool, user_file: Path | None
) -> None:
    """Merge ESCO's skills CSV download (e.g. skills_nl.csv) into the user taxonomy.

    A concept whose label or alternative label is a form of an existing skill fills in that
    skill's esco_uri; other concepts become new skills (type from skillType: knowledge →
    knowledge, skill/competence → vocational, tools → software). The result is written to the
    user taxonomy file and, when the store exists, loaded into its skills table.
    """
    from matching.taxonomy import (
        import_esco,
        load_into_store,
        load_taxonomy,
        merge_user_rows,
        read_user_rows,
        validate_taxonomy,
        write_user_rows,
    )

    settings = _settings(ctx)
    path = _user_path(ctx, user_file)
    current = load_taxonomy(settings.reference_dir, path, validate=False)
    rows = import_esco(esco_file, current, match_only=match_only)
    known = set(current["skill_id"].to_list())
    linked = [r for r in rows if r["skill_id"] in known]
    added = [r for r in rows if r["skill_id"] not in known]
    click.echo(
        f"{esco_file.name}: {len(linked)} existing skill(s) get an ESCO URI, "
        f"{len(added)} new skill(s)."
    )
    if dry_run:
        for row in linked[:20]:
            click.echo(f"  link {row['skill_id']} → {row['esco_uri']}")
        for row in added[:20]:
            click.echo(f"  add  {row['skill_id']} ({row['type']}): {row['label_nl']}")
        click.echo("Dry run: nothing written.")
        return
    write_user_rows(path, merge_user_rows(read_user_rows(path), rows))
    merged = load_taxonomy(settings.reference_dir, path, validate=False)
    problems = validate_taxonomy(merged)
    click.echo(f"Wrote {path} ({merged.height} skills in all, {len(problems)} problem(s)).")
    for problem in problems[:10]:
        click.echo(f"  {problem}", err=True)
    if _store_has_skills(settings.database_url):
        from data.store import session_scope

        with session_scope(settings.database_url) as session:
            count = load_into_store(session, merged)
        click.echo(f"Loaded {count} skills into the store.")
