"""Own regions in the store (data/regions.py): create, change and delete with the edit token,
on SQLite and PostgreSQL."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert, select

from data import regions
from data.store import Region, RegionMember, init_db, session_scope

GEMEENTEN = {"GM0193": "Zwolle", "GM0148": "Dalfsen", "GM0166": "Kampen", "GM0363": "Amsterdam"}


def _store(url: str) -> str:
    init_db(url)
    with session_scope(url) as session:
        session.execute(
            insert(Region),
            [
                {"level": "gemeente", "code": code, "name": name, "year": 2025}
                for code, name in GEMEENTEN.items()
            ],
        )
        ids = session.execute(select(Region.id, Region.code)).all()
        session.execute(
            insert(RegionMember), [{"region_id": rid, "gemeente_code": code} for rid, code in ids]
        )
    return url


def _members(url: str, code: str) -> list[str]:
    with session_scope(url) as session:
        return sorted(
            session.execute(
                select(RegionMember.gemeente_code)
                .join(Region, Region.id == RegionMember.region_id)
                .where(Region.code == code)
            ).scalars()
        )


@pytest.mark.postgres
def test_create_edit_delete_with_the_edit_token(database_url: str) -> None:
    url = _store(database_url)
    created = regions.create_region(
        url, "  Regio Zwolle  ", ["GM0193", "GM0148", "GM0193"], "Scholen rond Zwolle"
    )
    region = created.region
    assert re.fullmatch(r"eigen-regio-zwolle-[0-9a-f]{4}", region.code)
    assert region.name == "Regio Zwolle"
    assert region.gemeenten == ("GM0148", "GM0193")
    assert _members(url, region.code) == ["GM0148", "GM0193"]

    # Only a hash of the token is stored, in created_by, marked as such.
    with session_scope(url) as session:
        stored = session.execute(select(Region).where(Region.code == region.code)).scalar_one()
        assert stored.level == "eigen"
        assert stored.created_by and stored.created_by.startswith("hash:")
        assert created.edit_token not in stored.created_by
        assert len(stored.created_by) <= 200
    assert regions.token_fits(url, region.code, created.edit_token)
    assert not regions.token_fits(url, region.code, "wrong")
    assert not regions.token_fits(url, region.code, None)

    with pytest.raises(regions.RegionAccessError):
        regions.update_region(url, region.code, "wrong", "Gekaapt", ["GM0363"])
    with pytest.raises(regions.RegionAccessError):
        regions.delete_region(url, region.code, created.edit_token[:-1])
    assert _members(url, region.code) == ["GM0148", "GM0193"]

    updated = regions.update_region(
        url, region.code, created.edit_token, "Regio Zwolle en Kampen", ["GM0166", "GM0193"]
    )
    assert updated.code == region.code  # shared links keep working
    assert updated.name == "Regio Zwolle en Kampen"
    assert updated.description is None
    assert _members(url, region.code) == ["GM0166", "GM0193"]

    regions.delete_region(url, region.code, created.edit_token)
    assert regions.get_region(url, region.code) is None
    assert _members(url, region.code) == []
    with pytest.raises(regions.RegionAccessError):
        regions.delete_region(url, region.code, created.edit_token)


def test_validation_says_what_is_wrong(sqlite_url: str) -> None:
    url = _store(sqlite_url)
    cases = [
        (("", ["GM0193"]), {"name_required"}),
        (("   ", ["GM0193"]), {"name_required"}),
        (("x" * 101, ["GM0193"]), {"name_too_long"}),
        (("Regio", []), {"no_gemeenten"}),
        (("Regio", ["GM9999"]), {"unknown_gemeenten"}),
        (("", []), {"name_required", "no_gemeenten"}),
    ]
    for (name, members), problems in cases:
        with pytest.raises(regions.RegionValidationError) as error:
            regions.create_region(url, name, members)
        assert set(error.value.problems) == problems, (name, members)
    with pytest.raises(regions.RegionValidationError) as error:
        regions.create_region(url, "Regio", ["GM0193"], "d" * 1001)
    assert error.value.problems == ("description_too_long",)

    # Exactly 100 characters is allowed; a second region with the same name (any case) is not.
    regions.create_region(url, "y" * 100, ["GM0193"])
    regions.create_region(url, "Regio Noord", ["GM0193"])
    with pytest.raises(regions.RegionValidationError) as error:
        regions.create_region(url, "regio noord", ["GM0148"])
    assert error.value.problems == ("name_taken",)


def test_names_are_kept_as_text_and_codes_are_url_safe(sqlite_url: str) -> None:
    url = _store(sqlite_url)
    first = regions.create_region(url, "<script>alert(1)</script>", ["GM0363"])
    assert first.region.name == "<script>alert(1)</script>"
    assert re.fullmatch(r"eigen-script-alert-1-script-[0-9a-f]{4}", first.region.code)
    odd = regions.create_region(url, "Île & 's-Hertogenbosch\x07", ["GM0363"])
    assert odd.region.name == "Île & 's-Hertogenbosch"  # control characters dropped
    assert re.fullmatch(r"[a-z0-9-]{1,40}", odd.region.code)
    only_symbols = regions.create_region(url, "???", ["GM0363"])
    assert only_symbols.region.code.startswith("eigen-regio-")
    # One region's token opens no other region.
    assert not regions.token_fits(url, odd.region.code, first.edit_token)
    with pytest.raises(regions.RegionAccessError):
        regions.update_region(url, "eigen-bestaat-niet-0000", first.edit_token, "X", ["GM0363"])
    # A gemeente or arbeidsmarktregio is never an own region, whatever the token.
    with pytest.raises(regions.RegionAccessError):
        regions.delete_region(url, "GM0363", first.edit_token)


@pytest.mark.postgres
def test_data_version_follows_every_change_of_an_own_region(database_url: str) -> None:
    from dashboard.queries import data_version

    url = _store(database_url)
    seen = [data_version(url)]
    created = regions.create_region(url, "Regio Zwolle", ["GM0193"])
    code, token = created.region.code, created.edit_token
    seen.append(data_version(url))
    regions.update_region(url, code, token, "Regio Zwolle e.o.", ["GM0193"])  # name only
    seen.append(data_version(url))
    regions.update_region(url, code, token, "Regio Zwolle e.o.", ["GM0193", "GM0166"])
    seen.append(data_version(url))
    regions.update_region(url, code, token, "Regio Zwolle e.o.", ["GM0148", "GM0166"])
    seen.append(data_version(url))  # same number of gemeenten, other ones
    regions.update_region(url, code, token, "Regio Zwolle e.o.", ["GM0148", "GM0166"], "Oost")
    seen.append(data_version(url))
    # Deleted and made again under the same name: on SQLite the row id is handed out again.
    regions.delete_region(url, code, token)
    again = regions.create_region(url, "Regio Zwolle e.o.", ["GM0148", "GM0166"], "Oost")
    seen.append(data_version(url))
    assert len(set(seen)) == len(seen), seen
    assert data_version(url) == seen[-1]  # and nothing else moves it
    regions.update_region(
        url, again.region.code, again.edit_token, "Regio Zwolle e.o.", ["GM0166", "GM0148"], "Oost"
    )
    assert data_version(url) == seen[-1]  # the same content, in another order


def test_data_version_follows_users_own_skills(sqlite_url: str) -> None:
    """``init-db`` loading a user's skill file (a new skill, or a label changed) is seen by a
    running dashboard on its next query."""
    from sqlalchemy import update

    from dashboard.queries import data_version
    from data.store.models import Skill
    from data.store.session import session_scope

    url = _store(sqlite_url)
    before = data_version(url)
    with session_scope(url) as session:
        session.add(
            Skill(
                key="eigen-vakkennis",
                label_nl="Eigen vakkennis",
                type="knowledge",
                is_user_defined=True,
            )
        )
    added = data_version(url)
    with session_scope(url) as session:
        session.execute(
            update(Skill).where(Skill.key == "eigen-vakkennis").values(label_nl="Vakkennis")
        )
    relabelled = data_version(url)
    assert len({before, added, relabelled}) == 3
    assert data_version(url) == relabelled


def test_regions_are_listed_newest_first(sqlite_url: str) -> None:
    from flask import Flask

    from dashboard.cache import cache
    from dashboard.queries import regios as region_queries
    from data.settings import Settings

    url = _store(sqlite_url)
    regions.create_region(url, "Eerste", ["GM0193"])
    second = regions.create_region(url, "Tweede", ["GM0193", "GM0148"])
    app = Flask("test-regions")
    app.config["REGIOKOMPAS_SETTINGS"] = Settings(database_url=url, cache_type="SimpleCache")
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    with app.app_context():
        listed = region_queries.own_regions()
        assert listed["name"].to_list() == ["Tweede", "Eerste"]
        assert listed["gemeenten"].to_list() == [2, 1]
        catalogue = region_queries.gemeente_catalogue(2025)
        assert catalogue.codes == set(GEMEENTEN)
        # The data version carries every own region's content: an edit (same number of
        # regions, same newest id) is seen on the next query without forgetting anything.
        regions.update_region(url, second.region.code, second.edit_token, "Derde", ["GM0193"])
        assert region_queries.own_regions()["name"].to_list() == ["Derde", "Eerste"]
        assert region_queries.own_regions()["gemeenten"].to_list() == [1, 1]


def test_invalidate_forgets_results_the_data_version_cannot_see(sqlite_url: str) -> None:
    """A change outside batches and own regions (here: a reference region renamed in SQL) keeps
    the data version; the cached result stays until ``invalidate``."""
    from flask import Flask
    from sqlalchemy import text

    from dashboard import queries
    from dashboard.cache import cache
    from data.settings import Settings
    from data.store.session import engine_for

    url = _store(sqlite_url)
    app = Flask("test-invalidate")
    app.config["REGIOKOMPAS_SETTINGS"] = Settings(database_url=url, cache_type="SimpleCache")
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})
    with app.app_context():
        before = queries.data_version(url)
        assert queries.region("GM0193").name == "Zwolle"
        with engine_for(url).begin() as connection:
            connection.execute(text("UPDATE regions SET name = 'Swol' WHERE code = 'GM0193'"))
        assert queries.data_version(url) == before
        assert queries.region("GM0193").name == "Zwolle"  # served from the cache
        queries.invalidate()
        assert queries.region("GM0193").name == "Swol"


def test_the_map_colours_chosen_gemeenten() -> None:
    import polars as pl

    from dashboard import figures_regios

    square = [[[5.0, 52.0], [5.1, 52.0], [5.1, 52.1], [5.0, 52.0]]]
    geojson = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": code, "geometry": {"type": "Polygon", "coordinates": square}}
            for code in ("GM0193", "GM0148")
        ],
    }
    gemeenten = pl.DataFrame({"code": list(GEMEENTEN), "name": list(GEMEENTEN.values())})
    figure = figures_regios.picker_map(geojson, gemeenten, {"GM0193", "GM0363"})
    trace = figure.data[0]
    assert list(trace.locations) == ["GM0148", "GM0193"]  # only gemeenten with a shape
    assert list(trace.z) == [0, 1]
    assert trace.customdata[1][0] == "Zwolle"
    z, custom = figures_regios.picker_state(["GM0363"], GEMEENTEN, [], "en")
    assert z == [0] and custom == [["Amsterdam", "click to add"]]
