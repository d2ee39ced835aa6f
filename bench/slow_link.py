"""The worksheet on a slow office link, in a real browser (issue 15, part 8).

Debian's Chromium (Playwright) signs in as the operator, then the DevTools protocol throttles
the connection to 50 KB/s down and up with 400 ms latency, and three visits to the operator's
worksheet are timed until the browser's load event:

- cold_ms: the first visit, with nothing cached (the page, CSS, scripts and icons);
- warm_ms: a full load of another tab once the hashed static files are cached (what a
  person sees going from page to page: the target, 1.2 s);
- tab_switch_ms: a click on the next area tab (htmx swaps the tab in place).

Called by bench/national.py on the production-shaped server (gunicorn, whitenoise, DEBUG=0);
returns the figures with the bytes the browser received for the warm load.
"""

from __future__ import annotations

import shutil
import time

KB = 1024
CONDITIONS = {"offline": False, "latency": 400, "downloadThroughput": 50 * KB,
              "uploadThroughput": 50 * KB}  # fmt: skip
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip
TARGET_MS = 1200


def measure(port: int, email: str, password: str, assessment: int) -> dict:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"skipped": "Playwright is not installed"}
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        return {"skipped": "no Chromium"}
    base = f"http://127.0.0.1:{port}"
    worksheet = f"{base}/assessments/{assessment}/worksheet/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("input[name=username]", email)
            page.fill("input[name=password]", password)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")
            cdp = context.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.clearBrowserCache")
            cdp.send("Network.emulateNetworkConditions", CONDITIONS)
            received = {"bytes": 0}
            cdp.on(
                "Network.loadingFinished",
                lambda event: received.__setitem__(
                    "bytes", received["bytes"] + int(event.get("encodedDataLength", 0))
                ),
            )

            def visit(url: str) -> int:
                start = time.perf_counter()
                page.goto(url, wait_until="load", timeout=60_000)
                return round((time.perf_counter() - start) * 1000)

            cold = visit(f"{worksheet}?tab=1")
            received["bytes"] = 0
            warm = visit(f"{worksheet}?tab=2")
            warm_bytes = received["bytes"]
            start = time.perf_counter()
            page.locator("#worksheet-tab a[role=tab][data-tab='3']").click()
            page.wait_for_selector(
                "#worksheet-tab a[role=tab][data-tab='3'].active", timeout=60_000
            )
            switch = round((time.perf_counter() - start) * 1000)
        finally:
            browser.close()
    return {
        "conditions": "50 KB/s, 400 ms latency",
        "cold_ms": cold,
        "warm_ms": warm,
        "warm_bytes": warm_bytes,
        "tab_switch_ms": switch,
        "target_ms": TARGET_MS,
        "meets_target": warm <= TARGET_MS and switch <= TARGET_MS,
    }
