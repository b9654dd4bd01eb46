"""AppTest of the Campaign results page: a results sheet for the open analysis, its figures by tier with their
definitions, the lists of rows rejected, posts unmatched and accounts that never posted, in the UI language;
kept with the saved analysis, told on Present, removable; a sheet of posts uploaded as a roster read as results."""

from __future__ import annotations

from tests.helpers import widget
from tests.test_results import ROSTER, results_workbook
from tests.test_work import app, db, restart_server  # noqa: F401  (db is a fixture)
from tiers.presenting.i18n import format_number
from tiers.storage.results import posts_key


def _on_results(at):
    at.file_uploader(key="upload").set_value(("roster.csv", ROSTER, "text/csv")).run()
    at.switch_page("pages/results.py").run()
    assert not at.exception, at.exception
    return at


def test_results_sheet_gives_each_tier_its_figures(db):  # noqa: F811
    at = _on_results(app())
    assert "No results sheet yet" in at.info[0].value
    at.selectbox(key=widget(at, "scheme")).set_value("partipost").run()
    at.file_uploader(key="results_upload").set_value(("hasil.xlsx", results_workbook(), "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    assert any("10 rows read, 7 posts, 1 rejected, 2 blank or total; 6 posts matched to the roster" in m.value
               for m in at.markdown)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Posts"] == "7" and metrics["Engagements"] == "28,841"  # 450 + 841 + 1,000 + 26,550
    assert metrics["Fees"] == "IDR15.5M"  # each package once: 0.5 + 3 + 2 + 10 million
    tiers = at.dataframe[0].value.set_index("Tier")
    fees = {"Nano": 500_000, "Micro": 3_000_000, "Macro": 2_000_000, "Mega": 10_000_000}  # as the page writes money
    assert tiers["Fees"].to_dict() == {tier: format_number(fee, "money", "en") for tier, fee in fees.items()}
    assert tiers.loc["Mega", "Posts"] == format_number(2, "count", "en")
    definitions = " ".join(m.value for m in at.markdown)
    assert "**CPM** = fees / views × 1,000" in definitions and "**Fees** = each package's fee once" in definitions
    assert "**Nano** delivered an ER of 9.2%, within its norm band of 7.0%–10.0%." in definitions
    expanders = [e.label for e in at.expander]
    assert {"1 rows rejected, with their reasons", "1 posts matched no account of the roster",
            "2 accounts never posted"} <= set(expanders)
    assert any("estimate" in c.value for c in at.caption)


def test_results_page_speaks_indonesian(db):  # noqa: F811
    at = _on_results(app())
    at.file_uploader(key="results_upload").set_value(("hasil.xlsx", results_workbook(), "application/octet-stream"))
    at.run()
    at.radio(key=widget(at, "lang")).set_value("id").run()
    assert not at.exception, at.exception
    assert at.header[0].value == "Hasil kampanye"
    assert any("10 baris dibaca, 7 posting, 1 ditolak" in m.value for m in at.markdown)
    assert any("**CPE** = biaya / engagement." in m.value for m in at.markdown)


def test_an_unreadable_results_sheet_is_said_not_raised(db):  # noqa: F811
    at = _on_results(app())
    at.file_uploader(key="results_upload").set_value(("hasil.csv", ROSTER, "text/csv")).run()
    assert not at.exception, at.exception
    assert any("not a sheet of post results" in e.value for e in at.error)


def test_results_are_kept_with_the_analysis_reopened_and_removable(db):  # noqa: F811
    sheet = results_workbook()
    at = _on_results(app())
    at.file_uploader(key="results_upload").set_value(("hasil.xlsx", sheet, "application/octet-stream"))
    at.run()
    assert not at.exception, at.exception
    analysis_id = at.query_params["a"]
    saved = db.get(analysis_id)
    assert saved.settings.results["file_name"] == "hasil.xlsx"
    assert db.file(saved.settings.results["digest"]) == sheet
    results = saved.settings.results
    at.run()  # the parse is stored by the first run after the save that links the sheet (any click)
    assert db.posts(posts_key(results["digest"], results["sheet"])).counts["ok"] == 7  # parsed once, stored
    restart_server()  # a new server: nothing cached, the posts come from the database
    reopened = app(analysis_id)
    reopened.switch_page("pages/results.py").run()
    assert not reopened.exception, reopened.exception
    assert {m.label: m.value for m in reopened.metric}["Posts"] == "7"
    reopened.switch_page("pages/present.py").run()
    assert not reopened.exception, reopened.exception
    headers = [h.value for h in reopened.header]
    assert {"Campaign results", "Delivered against the norms and the plan", "Best and weakest posts"} <= set(headers)
    reopened.switch_page("pages/results.py").run()
    reopened.button(key="results_remove").click().run()
    assert not reopened.exception, reopened.exception
    assert "No results sheet yet" in reopened.info[0].value
    assert db.get(analysis_id).settings.results is None
    reopened.switch_page("pages/present.py").run()
    assert "Campaign results" not in [h.value for h in reopened.header]  # no empty section


def test_a_sheet_of_posts_uploaded_as_a_roster_is_read_as_results(db):  # noqa: F811
    at = app()
    at.file_uploader(key="upload").set_value(("roster.csv", ROSTER, "text/csv")).run()
    roster_id = at.query_params["a"]
    at.file_uploader(key="upload").set_value(("hasil.xlsx", results_workbook(), "application/octet-stream")).run()
    assert not at.exception, at.exception
    assert any("looks like a sheet of posts" in w.value for w in at.warning)
    assert len(db.list()) == 2  # the upload made an analysis of it
    at.button(key="read_as_results").click().run()
    assert not at.exception, at.exception
    assert at.query_params["a"] == roster_id and [s.id for s in db.list()] == [roster_id]  # back, the other gone
    assert at.header[0].value == "Campaign results"
    assert any("10 rows read, 7 posts" in m.value for m in at.markdown)
    assert db.get(roster_id).settings.results["file_name"] == "hasil.xlsx"
