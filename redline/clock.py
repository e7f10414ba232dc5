"""What "today" is: the calendar day in the policies' time zone, or REDLINE_TODAY."""

from __future__ import annotations

import os
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .findings import CannotRun, Finding


def parse_day(value: str, source: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CannotRun(
            Finding("config", source, f"{value!r} is not a date", "write the date as YYYY-MM-DD")
        ) from None


def today(tz: ZoneInfo, override: str | None = None) -> date:
    """`override` (--today) first, then $REDLINE_TODAY, then the clock in `tz`."""
    if override:
        return parse_day(override, "--today")
    env = os.environ.get("REDLINE_TODAY")
    if env:
        return parse_day(env, "REDLINE_TODAY")
    return datetime.now(tz).date()
