"""Emerging skills: the skills whose share of vacancies grows fastest, and frequent terms in
requirement sections that the taxonomy does not know yet (candidates for the data steward).

Definitions (shown in the UI):

Share
    Deduplicated vacancies asking for the skill (offered skills do not count) divided by all
    deduplicated vacancies, in the same region and window.
Growth
    Share in the recent window divided by the share in the window before it. A skill needs at
    least ``min_support`` vacancies in the recent window to be listed, so that two vacancies
    are never read as a trend.
Candidate terms
    Words and word pairs in the requirement sections of recent vacancies that no taxonomy skill
    covers and that are not common Dutch or English filler, counted once per vacancy, that
    occur in at least ``min_count`` vacancies and grow by at least ``min_growth`` (so that
    stable boilerplate such as "uur per week" drops out).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

import polars as pl
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from data.store.models import DemandMonth, Skill, SkillDemandMonth, Vacancy
from matching import sections
from matching.taxonomy import fold, load_taxonomy, skill_forms

STOPWORDS = frozenset(
    """de het een en of van in op te voor met aan als bij je jij jouw wij we ons onze zijn is
    bent hebt heeft hebben ben kunt kan kunnen wordt worden om tot door uit over naar die dat
    dit deze er ook nog niet geen wel maar dan zo goed goede ruime minimaal minstens jaar jaren
    ervaring kennis affiniteit bezit beschikt beschik vaardigheden vaardig sterke sterk
    uitstekende uitstekend prima graag enige enkele relevante relevant werkervaring opleiding
    diploma niveau afgeronde afgerond mbo hbo wo functie werk werken werkzaamheden team collega
    collega's the a an and or of to in on for with you your we our is are be have has
    experience knowledge skills strong good excellent years year minimum relevant degree
    uur uren per week weken maand dag dagen must pre pluspunt voorkeur bij aantal passen past
    beheerst beheersen beheers herken herkent eigenschappen competenties vereist vereiste
    noodzakelijk gewenst wenselijk handig aanbeveling strekt mooi meegenomen kunnen zowel
    alsmede fulltime parttime full-time part-time bereid flexibel inzetbaar rijbewijs""".split()
)


def _shift(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def emerging_skills(
    session: Session,
    last: dt.date,
    gemeenten: Sequence[str] = (),
    months: int = 6,
    min_support: int = 20,
    top: int = 25,
) -> pl.DataFrame:
    """Skills ranked by growth of their share between the ``months`` up to ``last`` and the
    ``months`` before."""
    recent = (_shift(last, -(months - 1)), last)
    before = (_shift(last, -(2 * months - 1)), _shift(last, -months))

    def totals(first: dt.date, end: dt.date) -> int:
        statement = select(func.sum(DemandMonth.vacancies)).where(
            DemandMonth.month >= first, DemandMonth.month <= end
        )
        if gemeenten:
            statement = statement.where(DemandMonth.gemeente_code.in_(gemeenten))
        return int(session.execute(statement).scalar() or 0)

    def counts(first: dt.date, end: dt.date) -> pl.DataFrame:
        statement = (
            select(SkillDemandMonth.skill_id, func.sum(SkillDemandMonth.vacancies))
            .where(SkillDemandMonth.month >= first, SkillDemandMonth.month <= end)
            .group_by(SkillDemandMonth.skill_id)
        )
        if gemeenten:
            statement = statement.where(SkillDemandMonth.gemeente_code.in_(gemeenten))
        return pl.DataFrame(
            session.execute(statement).all(),
            orient="row",
            schema={"skill_id": pl.Int64, "vacancies": pl.Int64},
        )

    total_recent, total_before = totals(*recent), totals(*before)
    if not total_recent or not total_before:
        return pl.DataFrame(
            schema={
                "skill_id": pl.Int64,
                "key": pl.String,
                "label": pl.String,
                "type": pl.String,
                "vacancies": pl.Int64,
                "share": pl.Float64,
                "previous_share": pl.Float64,
                "growth": pl.Float64,
            }
        )
    joined = (
        counts(*recent)
        .join(counts(*before).rename({"vacancies": "previous"}), on="skill_id", how="left")
        .with_columns(pl.col("previous").fill_null(0))
    )
    labels = pl.DataFrame(
        session.execute(select(Skill.id, Skill.key, Skill.label_nl, Skill.type)).all(),
        orient="row",
        schema={"skill_id": pl.Int64, "key": pl.String, "label": pl.String, "type": pl.String},
    )
    return (
        joined.filter(pl.col("vacancies") >= min_support)
        .with_columns(
            share=pl.col("vacancies") / total_recent,
            previous_share=pl.col("previous") / total_before,
        )
        .with_columns(
            growth=pl.when(pl.col("previous_share") > 0)
            .then(pl.col("share") / pl.col("previous_share"))
            .otherwise(None)
        )
        .join(labels, on="skill_id", how="left")
        .sort(["growth", "vacancies"], descending=True, nulls_last=False)
        .select(
            "skill_id", "key", "label", "type", "vacancies", "share", "previous_share", "growth"
        )
        .head(top)
    )


def requirement_lines(texts: pl.Series) -> pl.Series:
    """The lines of each text that stand under a requirement heading (until the next
    heading), folded to lower case without diacritics; one list of lines per text."""
    requirement = "|".join(re.escape(p) for p in sections._phrases(sections._REQUIREMENT_HEADINGS))
    other = "|".join(
        re.escape(p)
        for block in (sections._OFFER_HEADINGS, sections._JOB_HEADINGS, sections._OTHER_HEADINGS)
        for p in sections._phrases(block)
    )
    heading = r"^[\s*#>_-]*(?:{})\s*[?:!]?\s*$"
    frame = (
        pl.DataFrame({"text": texts})
        .with_row_index("doc")
        .with_columns(line=pl.col("text").str.split("\n"))
        .explode("line")
        .with_columns(
            folded=pl.col("line").map_batches(
                lambda s: pl.Series([fold(x or "") for x in s.to_list()]), return_dtype=pl.String
            )
        )
        .with_columns(
            mark=pl.when(pl.col("folded").str.contains(heading.format(requirement)))
            .then(pl.lit("req"))
            .when(pl.col("folded").str.contains(heading.format(other)))
            .then(pl.lit("other"))
            .otherwise(None)
        )
        .with_columns(section=pl.col("mark").forward_fill().over("doc"))
        .filter((pl.col("section") == "req") & pl.col("mark").is_null())
    )
    return frame.group_by("doc", maintain_order=True).agg(pl.col("folded"))["folded"]


def candidate_terms(
    session: Session,
    last: dt.date,
    months: int = 6,
    sample: int = 20_000,
    min_count: int = 15,
    min_growth: float = 1.25,
    top: int = 40,
    reference_dir: str | None = None,
) -> pl.DataFrame:
    """Frequent words and word pairs in recent requirement sections that no skill covers."""
    taxonomy = load_taxonomy(reference_dir, validate=False)
    known = {fold(form) for row in taxonomy.iter_rows(named=True) for form in skill_forms(row)}
    known_words = {word for form in known for word in form.split()}

    def term_counts(first: dt.date, end: dt.date) -> pl.DataFrame:
        texts = (
            session.execute(
                select(Vacancy.text)
                .where(
                    Vacancy.is_cluster_head.is_(True),
                    Vacancy.posted_month >= first,
                    Vacancy.posted_month <= end,
                )
                .limit(sample)
            )
            .scalars()
            .all()
        )
        if not texts:
            return pl.DataFrame(schema={"term": pl.String, "count": pl.UInt32})
        lines = requirement_lines(pl.Series(texts, dtype=pl.String))
        words = (
            pl.DataFrame({"lines": lines})
            .with_row_index("doc")
            .explode("lines")
            .with_columns(words=pl.col("lines").str.extract_all(r"[a-z][a-z0-9+#./-]{2,}"))
        )
        unigrams = words.explode("words").rename({"words": "term"})
        bigrams = words.with_columns(
            term=pl.col("words")
            .list.eval(pl.element() + pl.lit(" ") + pl.element().shift(-1))
            .list.drop_nulls()
        ).explode("term")
        terms = pl.concat([unigrams.select("doc", "term"), bigrams.select("doc", "term")])
        return (
            terms.drop_nulls()
            .unique()
            .filter(~pl.col("term").is_in(sorted(known)))
            .filter(
                ~pl.col("term")
                .str.split(" ")
                .list.eval(pl.element().is_in(sorted(STOPWORDS | known_words)))
                .list.any()
            )
            .group_by("term")
            .agg(count=pl.len())
        )

    recent = term_counts(_shift(last, -(months - 1)), last)
    before = term_counts(_shift(last, -(2 * months - 1)), _shift(last, -months))
    return (
        recent.filter(pl.col("count") >= min_count)
        .join(before.rename({"count": "previous"}), on="term", how="left")
        .with_columns(pl.col("previous").fill_null(0))
        .with_columns(growth=(pl.col("count") + 1) / (pl.col("previous") + 1))
        .filter(pl.col("growth") >= min_growth)
        .sort(["growth", "count"], descending=True)
        .head(top)
    )
