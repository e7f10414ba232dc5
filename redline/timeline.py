"""What was public, and what governed, on a given day.

A version is *published* on day d once announced <= d; it is *in force* from its effective
date until the next published version's effective date; before its effective date it is
*announced* (its notice period runs); after, *superseded*.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from .dates import plus_days
from .model import Policy, Version


class Status(StrEnum):
    """Where a published version stands on the timeline's day."""

    ANNOUNCED = "announced"
    IN_FORCE = "in-force"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class Entry:
    version: Version
    status: Status
    until: date | None  # last day in force, None while open-ended or not yet in force

    @property
    def effective(self) -> date:
        return self.version.effective


@dataclass(frozen=True)
class Timeline:
    policy: Policy
    day: date
    entries: tuple[Entry, ...]  # published versions only, oldest first

    @property
    def in_force(self) -> Entry | None:
        return next((e for e in reversed(self.entries) if e.status == Status.IN_FORCE), None)

    @property
    def upcoming(self) -> tuple[Entry, ...]:
        """Announced versions whose notice period is running, soonest first."""
        return tuple(e for e in self.entries if e.status == Status.ANNOUNCED)

    def governing(self, day: date) -> Entry | None:
        """The entry that governed on `day` (an amendment governs only from its effective
        date), judged with what was published by this timeline's day."""
        governing = [e for e in self.entries if e.effective <= day]
        return governing[-1] if governing else None

    def previous(self, entry: Entry) -> Entry | None:
        i = self.entries.index(entry)
        return self.entries[i - 1] if i > 0 else None

    def next(self, entry: Entry) -> Entry | None:
        i = self.entries.index(entry)
        return self.entries[i + 1] if i + 1 < len(self.entries) else None

    def days_left(self, entry: Entry) -> int:
        return (entry.effective - self.day).days

    def next_change(self, entry: Entry) -> date | None:
        """The next day on which the entry's status changes, as far as is published now: an
        announced version goes into force, the version in force is superseded."""
        if entry.status == Status.ANNOUNCED:
            return entry.effective
        nxt = self.next(entry)
        return nxt.effective if entry.status == Status.IN_FORCE and nxt else None

    def on(self, day: date) -> Timeline:
        """The same policy on a later `day`, knowing only what is published now."""
        return timeline(self.policy, day, as_of=self.day)

    def entry_of(self, version: Version) -> Entry:
        return next(e for e in self.entries if e.version is version)


def published(policy: Policy, day: date) -> list[Version]:
    return [v for v in policy.versions if v.announced <= day]


def timeline(policy: Policy, day: date, as_of: date | None = None) -> Timeline:
    """The policy on `day`, with the versions published by `as_of` (default: that day)."""
    versions = published(policy, as_of or day)
    entries = []
    for i, v in enumerate(versions):
        nxt = versions[i + 1] if i + 1 < len(versions) else None
        if v.effective > day:
            status = Status.ANNOUNCED
        elif nxt is not None and nxt.effective <= day:
            status = Status.SUPERSEDED
        else:
            status = Status.IN_FORCE
        until = plus_days(nxt.effective, -1) if nxt else None
        entries.append(Entry(v, status, until))
    return Timeline(policy, day, tuple(entries))


def in_force_on(policy: Policy, day: date, as_of: date | None = None) -> Version | None:
    """The version that governed on `day`, using what was published by `as_of` (default: day)."""
    entry = timeline(policy, as_of or day).governing(day)
    return entry.version if entry else None
