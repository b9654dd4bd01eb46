"""Load on one server, on this machine's loopback only: brand clients opening a share link and editors
working at the same time, for a bounded time, each pausing THINK_S between actions. Reports page
settle times (p50 / p95) per role, the errors seen, and whether every editor's last change was saved.
The browsers run on the same 2 cores as the server, so the times include their rendering.

    .venv/bin/python benchmarks/load.py --clients 20 --editors 5 --seconds 60
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.conftest import CHROMIUM, CHROMIUM_ARGS, serve  # noqa: E402
from tiers.reading.read import read_table  # noqa: E402
from tiers.reading.roster import default_mapping  # noqa: E402
from tiers.storage.analysis import Settings  # noqa: E402
from tiers.storage.sharing import LinkOptions, create_link  # noqa: E402
from tiers.storage.store import Store  # noqa: E402

SCHEMES = ("partipost", "shopee", "hootsuite", "later")
PAGES = ("Tiers", "Engagement", "Present", "Roster")
THINK_S = 2.0  # between one page settling and the next action: people read what they opened


async def _settled(page, action) -> float:
    started = time.perf_counter()
    await action()
    try:  # the run may start and end before this looks
        await page.locator("[data-testid='stApp'][data-test-script-state='running']").wait_for(timeout=1_500)
    except Exception:
        pass
    await page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(timeout=120_000)
    return time.perf_counter() - started


async def _errors(page) -> int:
    return await page.locator("[data-testid='stException']").count()


async def _client(browser, link: str, deadline: float, out: dict) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(120_000)
    page = await context.new_page()
    while time.monotonic() < deadline:
        out["client"].append(await _settled(page, lambda: page.goto(link, wait_until="commit")))
        heading = await page.get_by_role("heading", name="This link is not valid").count()
        out["errors"] += await _errors(page) + heading
        await asyncio.sleep(THINK_S)
    await context.close()


async def _editor(browser, url: str, deadline: float, out: dict, last: dict, analysis_id: str) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(120_000)
    page = await context.new_page()
    out["editor"].append(await _settled(page, lambda: page.goto(f"{url}/?a={analysis_id}", wait_until="commit")))
    step = 0
    while time.monotonic() < deadline:
        if step % 2:  # change the scheme, as an editor does, and remember what must be saved
            scheme = SCHEMES[(step // 2) % len(SCHEMES)]
            box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
            await box.click()
            option = page.get_by_role("option", name=_scheme_names[scheme], exact=True)
            try:
                await option.wait_for(timeout=5_000)
            except Exception:  # a click during a rerun only focuses the box: try again next step
                await page.keyboard.press("Escape")
                step += 1
                continue
            out["editor"].append(await _settled(page, option.click))
            last[analysis_id] = scheme
        else:
            title = PAGES[(step // 2) % len(PAGES)]
            link = page.locator("[data-testid='stSidebarNav'] a", has_text=title).first
            out["editor"].append(await _settled(page, link.click))
        out["errors"] += await _errors(page)
        step += 1
        await asyncio.sleep(THINK_S)
    await context.close()


_scheme_names: dict[str, str] = {}


async def _run(url: str, link: str, analyses: list[str], clients: int, seconds: float) -> tuple[dict, dict]:
    from playwright.async_api import async_playwright

    out, last = {"client": [], "editor": [], "errors": 0}, {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(_client(browser, link, deadline, out) for _ in range(clients)),
                             *(_editor(browser, url, deadline, out, last, a) for a in analyses))
        await browser.close()
    return out, last


def _percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] if len(values) >= 2 else float("nan")


def load(clients: int = 20, editors: int = 5, seconds: float = 60) -> dict:
    """Run the load and return the figures (see the module docstring)."""
    from tiers.analysis.schemes import all_schemes

    _scheme_names.update({k: s.name for k, s in all_schemes().items()})
    sample = (ROOT / "data" / "sample_roster.csv").read_bytes()
    raw = read_table(sample, "sample_roster.csv")
    with tempfile.TemporaryDirectory() as tmp:
        url_db = f"sqlite:///{Path(tmp) / 'load.db'}"
        store = Store(url_db)
        settings = Settings(sheet=raw.sheet, mapping=default_mapping(raw), brand="Brand X", agency="Agency",
                            shortlist=["2/instagram", "3/tiktok", "4/youtube"])
        shared = store.create("Shared with the client", "sample_roster.csv", sample, settings)
        token, _ = create_link(store, shared.id, LinkOptions(shortlist_only=False, show_fees=False))
        analyses = [store.create(f"Editor {i + 1}", "sample_roster.csv", sample, settings).id for i in range(editors)]
        server = serve(env={"TIERSCOPE_DATABASE_URL": url_db})
        url = next(server)
        try:
            out, last = asyncio.run(_run(url, f"{url}/?share={token}", analyses, clients, seconds))
        finally:
            server.close()
        lost = sum(store.get(a).settings.scheme != scheme for a, scheme in last.items())
        store.close()
    return {"clients": clients, "editors": editors, "seconds": seconds, "errors": out["errors"], "lost": lost,
            "client_pages": len(out["client"]), "editor_steps": len(out["editor"]),
            "client_p50": _percentile(out["client"], 0.5), "client_p95": _percentile(out["client"], 0.95),
            "editor_p50": _percentile(out["editor"], 0.5), "editor_p95": _percentile(out["editor"], 0.95)}


def report(figures: dict) -> str:
    return (f"load: {figures['clients']} client links + {figures['editors']} editors for {figures['seconds']:.0f} s: "
            f"{figures['client_pages']} client pages, p50 {figures['client_p50']:.2f} s, p95 "
            f"{figures['client_p95']:.2f} s; {figures['editor_steps']} editor steps, p50 "
            f"{figures['editor_p50']:.2f} s, p95 {figures['editor_p95']:.2f} s; errors {figures['errors']}, "
            f"changes lost {figures['lost']}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--editors", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    print(report(load(args.clients, args.editors, args.seconds)))
