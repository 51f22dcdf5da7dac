"""What the daily-loop browser tests share at phone width: signing in, tapping a scale's button,
checking nothing runs off the side, and reading what drafts the browser holds."""

from __future__ import annotations

from pathlib import Path

PHONE = (390, 844)
RUN_FIT = Path(__file__).resolve().parents[1] / "data" / "fit" / "fitparse--garmin-fenix-5-run.fit"


def tap(page, name: str, value: str) -> None:
    """Tap the large button that stands for one radio input."""
    page.locator(f'label:has(input[name="{name}"][value="{value}"])').click()


def fits(page, width: int = PHONE[0]) -> bool:
    """Nothing runs off the side: no sideways scroll at this width."""
    return page.evaluate("document.documentElement.scrollWidth") <= width


def signed_in(open_page, served, sign_in, width_height=PHONE):
    """A page of a new browser, signed in through the printed file."""
    page, watch = open_page(*width_height)
    sign_in(page, served.server)
    return page, watch


def draft_storage(page) -> dict[str, str]:
    """Every innerpace draft this browser holds, in localStorage or sessionStorage."""
    return page.evaluate(
        """() => {
            const found = {};
            for (const store of [localStorage, sessionStorage]) {
                for (let i = 0; i < store.length; i++) {
                    const key = store.key(i);
                    if (key.startsWith("innerpace")) found[key] = store.getItem(key);
                }
            }
            return found;
        }"""
    )
