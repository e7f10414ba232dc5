"""Notice arithmetic, in one place: how much notice a version needs, the earliest lawful
effective date for an announcement day, and the last day to announce for an effective date.

    earliest lawful effective date = announced + notice days
    merge-by (last announcement day) = effective - notice days
    notice given = effective - announced

R1, R2, `redline new`, `redline check`'s report and the job summary all ask here. Dates are
calendar days in the policies' time zone; arithmetic saturates at the ends of the calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from .config import CHANGE_CLASSES
from .dates import plus_days
from .model import Project, Version


def required_days(notice_days: Mapping[str, int], version: Version) -> int:
    """The notice the version needs: none when exempt, else its class's (unset: material)."""
    return 0 if version.exempt else notice_days[version.notice_class]


def earliest(announced: date, days: int) -> date:
    """The earliest lawful effective date of a text announced on `announced`."""
    return plus_days(announced, days)


def earliest_dates(notice_days: Mapping[str, int], announced: date) -> dict[str, date]:
    """The earliest lawful effective date of each class, for a text announced that day."""
    return {c: earliest(announced, notice_days[c]) for c in CHANGE_CLASSES}


@dataclass(frozen=True)
class Deadline:
    """What an editor needs to know about one new or changed version."""

    version: Version
    notice: int  # days required
    earliest: date  # earliest lawful effective date, given when it is announced
    merge_by: date  # last day it can be announced (merged) and keep its effective date

    @property
    def lawful(self) -> bool:
        return self.version.effective >= self.earliest

    @property
    def given(self) -> int:
        """Days of notice the version gets from its announcement."""
        return (self.version.effective - self.version.announced).days


def deadline(project: Project, version: Version) -> Deadline:
    days = required_days(project.settings.notice_days, version)
    return Deadline(
        version,
        days,
        earliest(version.announced, days),
        plus_days(version.effective, -days),
    )


def material_deadline(project: Project, version: Version) -> date:
    """The earliest lawful effective date if the version were (re)classified as material.

    Reclassifying is an edit of the version's files, a new text announced no earlier than
    today (R1's clock restarts): counting from its earlier announcement would promise a date
    the corrected text cannot lawfully keep.
    """
    announced = max(version.announced, project.today)
    return earliest(announced, project.settings.notice_days["material"])
