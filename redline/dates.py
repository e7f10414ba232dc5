"""Calendar days: the one parser of the dates users write, the one "today", safe arithmetic.

Every date Redline reads (a version's file name, `--today`, `REDLINE_TODAY`, `adopted`, a
command's arguments) is a calendar day written `YYYY-MM-DD` and meant in the policies' time
zone. `date.fromisoformat` alone is too lenient for that (it also takes `20240101` and week
dates), so every caller goes through `parse_day`. Arithmetic near the ends of the calendar
(a version dated 0001-01-01, notice periods of thousands of days) saturates instead of
raising OverflowError.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from .findings import CannotRun, Finding

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(text: object) -> date | None:
    """`YYYY-MM-DD` naming a day that exists, else None."""
    if isinstance(text, date) and not isinstance(text, datetime):
        return text
    if not isinstance(text, str) or not ISO_DAY.match(text.strip()):
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def require_day(text: object, what: str, rule: str = "usage") -> date:
    """`parse_day`, or stop (exit 2) naming `what` and how to write a date."""
    day = parse_day(text)
    if day is None:
        raise CannotRun(
            Finding(rule, what, f"{text!r} is not a date", "write a day that exists as YYYY-MM-DD")
        )
    return day


def plus_days(day: date, n: int) -> date:
    """`day + n days`, saturating at the first and last day Python can represent."""
    try:
        return day + timedelta(days=n)
    except OverflowError:
        return date.max if n > 0 else date.min


def today(tz: ZoneInfo, override: str | None = None) -> date:
    """`override` (--today) first, then $REDLINE_TODAY, then the clock in `tz`."""
    if override:
        return require_day(override, "--today")
    env = os.environ.get("REDLINE_TODAY")
    if env:
        return require_day(env, "REDLINE_TODAY")
    return datetime.now(tz).date()


def midnight(day: date, tz: ZoneInfo) -> datetime:
    """00:00 of a calendar day in the policies' time zone, with its UTC offset: the instant
    a version effective that day goes into force."""
    return datetime.combine(day, time(0), tzinfo=tz)
