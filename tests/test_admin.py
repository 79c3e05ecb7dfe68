"""The admin page: closed without a password, login, upload with a batch report."""

from __future__ import annotations

from pathlib import Path

import pytest
from werkzeug.security import generate_password_hash

PASSWORD = "correct horse battery"
CSV = (
    "id,title,employer,location,posted_at,text\n"
    "a1,Lasser MIG/MAG,Van Dijk Metaal B.V.,Zwolle,2026-09-03,Ervaring met MIG/MAG-lassen.\n"
    "a2,Kok,Brasserie De Gracht,Den Bosch,03-09-2026,Je hebt HACCP.\n"
    "a3,,Zonder Titel,Utrecht,2026-09-04,Geen titel\n"
)


@pytest.fixture(scope="module")
def admin_server(demo_store_copy, app_servers, model_cache: Path) -> str:
    return app_servers.start(
        demo_store_copy("admin"),
        models=model_cache,
        admin_password_hash=generate_password_hash(PASSWORD),
    )


@pytest.mark.browser
def test_closed_without_password(live_server: str, page) -> None:
    page.goto(live_server + "/beheer")
    page.wait_for_selector("text=Beheer is gesloten")
    assert page.locator("#admin-upload-section").is_hidden()
    assert page.console_errors == []


@pytest.mark.browser
def test_login_and_upload(admin_server: str, page, tmp_path: Path) -> None:
    page.goto(admin_server + "/beheer")
    page.fill("#admin-password", "wrong password")
    page.click("#admin-login")
    page.wait_for_selector("text=Dat wachtwoord klopt niet.")
    assert page.locator("#admin-upload-section").is_hidden()

    page.fill("#admin-password", PASSWORD)
    page.click("#admin-login")
    page.wait_for_selector("#admin-upload-section:not([hidden])")
    upload = tmp_path / "vacatures.csv"
    upload.write_text(CSV, encoding="utf-8")
    page.set_input_files("#admin-upload input[type=file]", str(upload))
    page.wait_for_selector("text=Gekozen: vacatures.csv")
    page.fill("#admin-source", "Testbron")
    page.click("#admin-load")
    page.wait_for_selector("#admin-report-counts", timeout=240_000)
    cells = page.locator("#admin-report-counts td").all_text_contents()
    counts = dict(zip(cells[0::2], cells[1::2], strict=True))
    assert counts["Gelezen rijen"] == "3"
    assert counts["Geaccepteerd"] == "2"
    assert counts["Afgekeurd (in quarantaine)"] == "1"
    assert "title" in page.inner_text("#admin-report-reasons")
    page.screenshot(
        path=str(
            Path(__file__).resolve().parent.parent / "var" / "screenshots" / "beheer-1366.png"
        ),
        full_page=True,
    )

    page.click("#admin-logout")
    page.wait_for_selector("#admin-login-section")
    assert page.locator("#admin-upload-section").is_hidden()
    assert page.console_errors == []
