"""Untrusted settings, archives, user text and sign-in (issue 20): the settings schema, `.tierscope`
files made to hurt (on SQLite and PostgreSQL), the CLI's one-line refusals, Markdown in user text,
and sign-in claims, sign-outs and revoked links."""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import markdown_it
import pytest
from sqlalchemy import func, select, update
from streamlit.testing.v1 import AppTest

from tests.fixtures import KOL_XLSX
from tests.helpers import png_bytes, shown
from tests.test_access import _client, _shared
from tests.test_work import app, db  # noqa: F401  (db is a fixture)
from tiers.presenting.markdown import literal
from tiers.signin import AccessRules
from tiers.storage import archive
from tiers.storage.analysis import MAX_LOGO_PIXELS, Settings, SettingsError, check_logo
from tiers.storage.schema import analyses, files
from tiers.storage.sessions import record_sign_out, signed_out_since
from tiers.storage.sharing import LinkOptions, active_links, revoke_link
from tiers.storage.store import Store

ROOT = Path(__file__).parents[1]
NORMS = {"id": "custom", "name": "Mine", "source": "me", "year": 2026,
         "er_definition": "(likes + comments) / followers", "basis": "followers",
         "components": ["likes", "comments"], "note": "",
         "bands": [{"platform": "instagram", "min_followers": 0, "low": 0.01, "high": 0.03}]}

BAD_SETTINGS = [
    ({"brand": ["Wardah"]}, "brand"),  # a list where a string belongs
    ({"agency": "A" * 5_000}, "agency"),  # a name of no sane length
    ({"accent": "red; } body { display: none"}, "accent"),  # not #RRGGBB
    ({"idr_per_unit": 1e308}, "idr_per_unit"),
    ({"idr_per_unit": -5.0}, "idr_per_unit"),
    ({"custom_norms": {"bands": "zz"}}, "custom_norms"),  # garbage norms
    ({"custom_norms": {**NORMS, "bands": [{**NORMS["bands"][0], "low": 0.5, "high": 0.1}]}}, "custom_norms"),
    ({"custom_norms": {**NORMS, "name": {"nested": 1}}}, "custom_norms"),
    ({"scheme": "no-such-scheme"}, "scheme"),
    ({"norms": 7}, "norms"),
    ({"lang": "xx"}, "lang"),
    ({"filters": {"platforms": "instagram", "niches": [], "cities": []}}, "filters"),
    ({"nano_tags": {"1/instagram": "maybe"}}, "nano_tags"),
    ({"planner": {"budget": "a lot"}}, "planner"),
    ({"planner": {"budget": 1e6, "tier_min": {"nano": -3}}}, "planner"),
    ({"shortlist": "a,b"}, "shortlist"),
    ({"mapping": {"followers": ["F"]}}, "mapping"),
    ({"mapping": {"followers": "F", "currency_of_all": "DOGE"}}, "mapping"),
    ({"logo": "not-a-digest"}, "logo"),
    ({"roster_date": "yesterday"}, "roster_date"),
    ({"snapshots": [{"id": "s", "file_name": "x.csv", "digest": "0" * 64, "sheet": None, "mapping": None,
                     "date": "2026-13-45"}]}, "snapshots"),
    ({"compare": {"before": ["main"]}}, "compare"),
]


# The schema

@pytest.mark.parametrize(("bad", "name"), BAD_SETTINGS)
def test_a_setting_of_the_wrong_type_or_range_is_refused_and_a_stored_one_opens_at_its_default(bad, name):
    kept = "agency" if name == "brand" else "brand"  # a good setting beside the bad one
    with pytest.raises(SettingsError, match=f"setting '{name}") as refused:
        Settings.from_dict({kept: "Wardah", **bad})
    assert "\n" not in str(refused.value) and refused.value.fields == (name,)
    opened, reset = Settings.readable({kept: "Wardah", **bad})
    assert reset == (name,) and getattr(opened, kept) == "Wardah" and getattr(opened, name) == getattr(Settings(), name)


def test_good_settings_pass_the_schema_unchanged():
    good = Settings(brand="Wardah", accent="#C2185B", idr_per_unit=16_000, custom_norms=NORMS, norms="custom",
                    planner={"budget": 5e7, "objective": "reach", "max_share": 0.4, "tier_min": {"nano": 2},
                             "must_include": ["4/instagram"], "by_creator": True},
                    mapping={"followers": "Followers", "currency_of_all": "MYR"}, lang="ms", roster_date="2026-11-01")
    assert Settings.from_json(good.to_json()) == good
    assert Settings.readable(["not", "an", "object"]) == (Settings(), ("settings",))


def test_a_logo_must_be_a_png_or_jpeg_image_of_bounded_size():
    check_logo(png_bytes(), "logo.png")
    from PIL import Image

    for data, words in [(b"not an image", "not a PNG or JPEG"), (png_bytes()[:40], "not a PNG or JPEG")]:
        with pytest.raises(ValueError, match=words):
            check_logo(data, "bad.png")
    gif = io.BytesIO()
    Image.new("RGB", (4, 4)).save(gif, "GIF")
    with pytest.raises(ValueError, match="not a PNG or JPEG"):
        check_logo(gif.getvalue(), "logo.gif")
    side = int(MAX_LOGO_PIXELS ** 0.5) + 1
    huge = io.BytesIO()
    Image.new("1", (side, side)).save(huge, "PNG")  # a few KB on disk, its header says 4097 x 4097
    with pytest.raises(ValueError, match=f"{side} x {side} pixels"):
        check_logo(huge.getvalue(), "huge.png")


# Archives made to hurt, on SQLite and PostgreSQL

@pytest.fixture
def store(database_url):
    store = Store(database_url)
    yield store
    store.close()


def _counts(store: Store) -> tuple[int, int]:
    with store.engine.connect() as connection:
        return (connection.execute(select(func.count()).select_from(analyses)).scalar(),
                connection.execute(select(func.count()).select_from(files)).scalar())


def _entries(packed: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(packed)) as source:
        return {name: source.read(name) for name in source.namelist()}


def _zip(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as target:
        for name, data in entries.items():
            target.writestr(name, data)
    return buffer.getvalue()


def _with_manifest(packed: bytes, **changes) -> bytes:
    entries = _entries(packed)
    manifest = json.loads(entries["manifest.json"])
    manifest.update(changes)
    return _zip({**entries, "manifest.json": json.dumps(manifest).encode()})


def _patch_header(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """`data` with one field of `name`'s local and central headers set (offset after the signature)."""
    patched = bytearray(data)
    for signature, name_at in ((b"PK\x03\x04", 30), (b"PK\x01\x02", 46)):
        at = patched.find(signature)
        while at >= 0:
            length = struct.unpack_from("<H", patched, at + (26 if name_at == 30 else 28))[0]
            if patched[at + name_at:at + name_at + length] == name.encode():
                shift = 0 if name_at == 30 else 2  # the central header has "version made by" first
                struct.pack_into(fmt, patched, at + offset + shift, value)
            at = patched.find(signature, at + 4)
    return bytes(patched)


@pytest.fixture
def packed(store) -> bytes:
    made = store.create("Proposal", "kol.xlsx", KOL_XLSX, Settings(brand="Wardah"), logo=png_bytes())
    data = store.export(made.id)
    store.delete(made.id)
    return data


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


HOSTILE = [
    (lambda p: _with_manifest(p, format_version=int("1" + "0" * 3_999)), "no valid format version"),
    (lambda p: _zip({**_entries(p), "manifest.json": _entries(p)["manifest.json"].replace(
        f'"format_version": {archive.FORMAT_VERSION}'.encode(), b'"format_version": 1' + b"0" * 5_000)}),
     "not valid JSON"),
    (lambda p: _with_manifest(p, format_version=True), "no valid format version"),
    (lambda p: _zip({**_entries(p), "manifest.json": _entries(p)["manifest.json"].replace(
        b'"name":', b'"deep": ' + _deep(100_000).encode() + b', "name":')}), "not valid JSON"),
    (lambda p: _with_manifest(p, deep=json.loads(_deep(200))), "nests deeper"),
    (lambda p: _patch_header(p, "roster/kol.xlsx", 6, "<H", 0x1), "is encrypted"),  # general purpose flag bit 0
    (lambda p: _patch_header(p, "roster/kol.xlsx", 8, "<H", 9), "method Tierscope does not read"),  # deflate64
    (lambda p: _with_manifest(p, settings={"brand": ["x"]}), "setting 'brand' is not valid"),
    (lambda p: _with_manifest(p, settings={"accent": "red; } body {"}), "setting 'accent' is not valid"),
    (lambda p: _with_manifest(p, settings={"idr_per_unit": 1e308}), "setting 'idr_per_unit' is not valid"),
    (lambda p: _with_manifest(p, settings={"custom_norms": {"bands": 5}}), "setting 'custom_norms"),
    (lambda p: _zip({**_entries(p), "logo": b"not an image"}), "checksum"),
]


@pytest.mark.parametrize(("damage", "message"), HOSTILE)
def test_a_hostile_archive_is_refused_in_one_line_before_anything_is_written(store, packed, damage, message):
    before = _counts(store)
    with pytest.raises(archive.ArchiveError, match=message) as refused:
        store.import_archive(damage(packed), "bad.tierscope")
    text = str(refused.value)
    assert text.startswith("bad.tierscope: ") and "\n" not in text and len(text) < 400 and str(ROOT) not in text
    assert _counts(store) == before


def test_a_logo_that_is_not_an_image_is_refused_with_its_checksum_right(store, packed):
    entries = _entries(packed)
    manifest = json.loads(entries["manifest.json"])
    bad = b"GIF89a not a logo"
    import hashlib

    manifest["logo"]["sha256"] = manifest["settings"]["logo"] = hashlib.sha256(bad).hexdigest()
    with pytest.raises(archive.ArchiveError, match="logo is not a PNG or JPEG"):
        store.import_archive(_zip({**entries, "logo": bad, "manifest.json": json.dumps(manifest).encode()}), "x")


def test_entries_no_setting_names_are_not_read_and_every_entry_is_capped(store, packed, monkeypatch):
    entries = _entries(packed)
    manifest = json.loads(entries["manifest.json"])
    extra = {f"snapshots/{i:064x}": bytes([i]) * 100_000 for i in range(12)}  # listed, but no setting names them
    manifest["snapshots"] = [{"entry": name, "sha256": name.split("/")[1]} for name in extra]
    loaded = _zip({**entries, **extra, "manifest.json": json.dumps(manifest).encode()})
    files_before = _counts(store)[1]
    imported = store.import_archive(loaded, "loaded.tierscope")
    assert imported.settings.snapshots == [] and _counts(store)[1] == files_before + 2  # the roster and the logo

    monkeypatch.setattr(archive, "MAX_MANIFEST_BYTES", 1_000)
    with pytest.raises(archive.ArchiveError, match="manifest.json' unpacks to more than"):
        store.import_archive(_with_manifest(packed, padding=" " * 2_000), "big.tierscope")
    monkeypatch.setattr(archive, "MAX_ENTRIES", 3)
    with pytest.raises(archive.ArchiveError, match="lists 4 files"):
        store.import_archive(_zip({**entries, "extra": b""}), "many.tierscope")


def test_a_header_that_understates_an_entry_cannot_inflate_past_its_cap(store, packed, monkeypatch):
    monkeypatch.setattr(archive, "MAX_FILE_BYTES", 50_000)
    entries = _entries(packed)
    big = b"x" * 400_000
    manifest = json.loads(entries["manifest.json"])
    import hashlib

    manifest["roster"]["sha256"] = hashlib.sha256(big).hexdigest()
    data = _zip({**entries, "roster/kol.xlsx": big, "manifest.json": json.dumps(manifest).encode()})
    lying = _patch_header(data, "roster/kol.xlsx", 18, "<I", 1_000)  # uncompressed size: 1,000 bytes, it says
    with pytest.raises(archive.ArchiveError) as refused:
        store.import_archive(lying, "lying.tierscope")
    assert "damaged" in str(refused.value) or "more than" in str(refused.value)
    honest = _patch_header(data, "roster/kol.xlsx", 18, "<I", 400_000)
    with pytest.raises(archive.ArchiveError, match="unpacks to more than the 0 MB limit"):
        store.import_archive(honest, "honest.tierscope")


# The CLI

def _cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tiers", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)


def _one_line_refusal(run: subprocess.CompletedProcess, *words: str) -> None:
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("tierscope: error: "), run.stderr
    assert "Traceback" not in run.stderr and "unexpected" not in run.stderr
    for word in words:
        assert word in lines[0]


def test_the_cli_refuses_a_bad_logo_an_unwritable_output_and_a_hostile_archive_in_one_line(tmp_path, packed):
    import os

    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image at all")
    sample = str(ROOT / "data" / "sample_roster.csv")
    _one_line_refusal(_cli("report", sample, "--logo", str(bad), "-o", str(tmp_path / "r.html")),
                      "bad.png", "not a PNG or JPEG")
    assert not (tmp_path / "r.html").exists()
    _one_line_refusal(_cli("report", sample, "-o", "/nonexistent/r.html"), "/nonexistent/r.html", "cannot write")
    hostile = tmp_path / "hostile.tierscope"
    hostile.write_bytes(_with_manifest(packed, format_version=int("1" + "0" * 3_999)))
    env = {**os.environ, "TIERSCOPE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    _one_line_refusal(_cli("workspace", "import", str(hostile), env=env), "no valid format version")
    deep = tmp_path / "deep.tierscope"
    deep.write_bytes(HOSTILE[3][0](packed))
    _one_line_refusal(_cli("workspace", "import", str(deep), env=env), "not valid JSON")


# The app: a bad archive, bad stored settings, Markdown in user text

def test_the_saved_work_page_refuses_a_hostile_archive_with_a_message(db):  # noqa: F811
    made = db.create("Proposal", "kol.xlsx", KOL_XLSX, Settings(brand="Wardah"), logo=png_bytes())
    packed = db.export(made.id)
    db.delete(made.id)
    at = app()
    at.switch_page("pages/work.py").run()
    for number, (damage, message) in enumerate(HOSTILE):
        name = f"hostile-{number}.tierscope"
        at.file_uploader(key="work_import").set_value((name, damage(packed), "application/zip")).run()
        assert not at.exception, at.exception
        assert name in shown(at.error[0].value) and message.replace("\\", "") in shown(at.error[0].value)
    assert db.list() == []


def _store_raw_settings(store: Store, analysis_id: str, settings: dict) -> None:
    with store.engine.begin() as connection:
        connection.execute(update(analyses).where(analyses.c.id == analysis_id).values(settings=json.dumps(settings)))


@pytest.mark.parametrize("path", ["pages/roster.py", "pages/present.py", "pages/tradeoffs.py",
                                  "pages/engagement.py", "pages/distribution.py"])
def test_bad_stored_settings_open_at_their_defaults_with_a_message_on_every_page(db, path):  # noqa: F811
    made = db.create("Ramadan", "kol.xlsx", KOL_XLSX, Settings(brand="Wardah"), logo=b"\x89PNG not really")
    stored = json.loads(made.settings.to_json())
    _store_raw_settings(db, made.id, {**stored, "agency": ["a", "list"], "accent": "red; } body {",
                                      "idr_per_unit": 1e308, "custom_norms": {"bands": "zz"}, "norms": "custom",
                                      "planner": {"budget": "x"}, "lang": ["en"]})
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["a"] = made.id
    at.switch_page(path).run()  # the analysis opened straight on that page, as a bookmark would
    assert not at.exception, at.exception
    warned = " ".join(shown(w.value) for w in at.warning)
    for name in ("agency", "accent", "idr_per_unit", "custom_norms", "planner", "lang", "logo"):
        assert name in warned
    assert at.session_state["brand"] == "Wardah" and at.session_state["accent"] == "#219ebc"


MARKDOWN = "![t](http://127.0.0.1:9/x.png) **x** <img src=http://127.0.0.1:9/y.png> $y$ :red[z]"


def _rendered(at) -> list[str]:
    """Every Markdown element's source, rendered as GitHub-flavoured Markdown (the frontend's
    react-markdown uses remark-gfm) to HTML."""
    md = markdown_it.MarkdownIt("gfm-like")
    sources = [e.value for kind in ("title", "header", "subheader", "markdown", "caption", "error", "warning",
                                    "info", "success") for e in getattr(at, kind)]
    sources += [m.proto.label for m in at.metric]
    return [md.render(source) for source in sources]


def test_user_text_shows_literally_and_fetches_nothing(db):  # noqa: F811
    made = db.create(MARKDOWN, f"{MARKDOWN}.xlsx", KOL_XLSX, Settings(brand=MARKDOWN, agency=MARKDOWN))
    at = app(made.id)
    at.switch_page("pages/present.py").run()
    assert not at.exception, at.exception
    html = "\n".join(_rendered(at))
    assert "<img" not in html and "<strong>x" not in html and "<a " not in html
    assert shown(at.title[0].value) == f"Creator roster review for {MARKDOWN}"
    at.switch_page("pages/work.py").run()
    html = "\n".join(_rendered(at))
    assert "<img" not in html and "<strong>x" not in html
    assert any(MARKDOWN in shown(m.value) for m in at.markdown)  # the analysis's name, as written
    at.switch_page("pages/roster.py").run()
    assert any(MARKDOWN in shown(c.value) for c in at.caption)  # the file name
    assert "<img" not in "\n".join(_rendered(at))


@pytest.mark.parametrize("text", [MARKDOWN, "# Big\n- item\n> quote", "1. one", "a_b_c __d__ `e` ~~f~~ &amp;",
                                  "\\**x**", "www.example.com"])
def test_literal_renders_as_the_text_itself(text):
    html = markdown_it.MarkdownIt("gfm-like").enable("strikethrough").render(literal(text))
    assert html.count("<p>") == 1 and not any(tag in html for tag in ("<img", "<strong", "<em", "<h1", "<li",
                                                                       "<blockquote", "<code", "<s>"))
    import html as entities
    import re

    assert entities.unescape(re.sub(r"<[^>]+>", "", html)).strip() == " ".join(text.split())


# Sign-in

def test_a_missing_email_verified_claim_is_unverified_unless_the_provider_is_trusted():
    base = {"allowed_domains": ["agency.co.id"]}
    strict = AccessRules.from_config(base)
    assert strict.may_sign_in("ayu@agency.co.id", True)
    assert not strict.may_sign_in("ayu@agency.co.id", None)  # Entra ID sends no claim
    assert not strict.may_sign_in("ayu@agency.co.id")
    assert strict.may_sign_in("ayu@agency.co.id", "true") and not strict.may_sign_in("ayu@agency.co.id", "false")
    everyone = AccessRules.from_config({**base, "trust_unverified_email": True})
    assert everyone.may_sign_in("ayu@agency.co.id", None)
    assert not everyone.may_sign_in("ayu@agency.co.id", False)  # a claim that says no is no
    named = AccessRules.from_config({**base, "trust_unverified_email": ["microsoft"]})
    assert named.may_sign_in("ayu@agency.co.id", None, "microsoft")
    assert not named.may_sign_in("ayu@agency.co.id", None, "google")
    assert not AccessRules.from_config({**base, "trust_unverified_email": "yes"}).may_sign_in("ayu@agency.co.id", None)


def test_a_sign_out_refuses_every_sign_in_made_before_it(store):
    assert not signed_out_since(store, "ayu@agency.co.id", 1_000)
    moment = record_sign_out(store, "Ayu@Agency.co.id").timestamp()
    assert signed_out_since(store, "ayu@agency.co.id", moment - 1)  # a cookie from before: refused
    assert signed_out_since(store, "ayu@agency.co.id", None)  # a token without iat: refused
    assert not signed_out_since(store, "ayu@agency.co.id", moment)  # signed in again since
    assert not signed_out_since(store, "budi@agency.co.id", moment - 1)  # another member
    later = record_sign_out(store, "ayu@agency.co.id", when=None).timestamp()
    assert later >= moment and signed_out_since(store, "ayu@agency.co.id", later - 1)


def test_a_revoked_link_ends_the_client_view_at_its_next_rerun_and_an_opening_counts_once(db):  # noqa: F811
    token, analysis_id = _shared(db, LinkOptions())
    at = _client(token)
    assert at.title[0].value == "Creator roster review for Wardah"
    at.run()
    member = db.as_member("", "")
    link = active_links(member, analysis_id)[0]
    assert link.opened == 1  # the same session looking again is not another opening
    revoke_link(member, link.id)
    at.run()
    assert not at.exception and [t.value for t in at.title] == ["This link is not valid"]
    assert not at.metric and not at.dataframe
