"""Every word Redline itself puts on a page, in each language it ships (others fall back to English)."""

from __future__ import annotations

from datetime import date

STRINGS: dict[str, dict[str, str]] = {
    "ko": {
        "version_n": "버전 {n}",
        "effective_on": "시행일 {date}",
        "announced_on": "공고일 {date}",
        "in_force_since": "{date}부터 시행 중",
        "status_in_force": "현재 시행 중인 버전입니다. {date}부터 시행되었습니다.",
        "status_superseded": "이전 버전입니다. {start}부터 {end}까지 시행되었으며, 지금은 효력이 없습니다.",
        "status_announced": "개정 예정 버전입니다. {date}부터 시행됩니다. 그 전까지는 현재 버전이 적용됩니다.",
        "see_in_force": "현재 시행 중인 버전 보기",
        "no_version_in_force": "아직 시행 중인 버전이 없습니다.",
        "notice_title": "개정 안내",
        "notice_lead": "{subject} {date}부터 변경됩니다. 시행까지 {days_left}.",
        "notice_lead_after": "{subject} {date}부터 변경되었습니다.",
        "notice_reason": "개정 사유",
        "notice_summary": "주요 변경 사항",
        "material_badge": "중요 개정",
        "minor_badge": "일반 개정",
        "first_badge": "제정",
        "unset_badge": "구분 미정",
        "imported_badge": "이전 이력",
        "link_changes": "변경 내용 비교(신구대조표) 보기",
        "link_new_text": "개정될 전문 보기",
        "link_archive": "지난 버전 모두 보기",
        "link_what_changed": "이 버전에서 바뀐 내용",
        "archive_title": "{title} 변경 이력",
        "archive_intro": "지금까지 공개된 모든 버전입니다. 각 버전은 고유 주소에 영구히 보존됩니다.",
        "col_version": "버전",
        "col_effective": "시행 기간",
        "col_announced": "공고일",
        "col_class": "구분",
        "col_reason": "개정 사유",
        "col_links": "보기",
        "until": "{start} ~ {end}",
        "from_on": "{start} ~",
        "link_text": "전문",
        "link_changes_short": "변경 내용",
        "imported_note": "이전 이력: Redline 도입({date}) 전에 시행된 버전으로, 공고일은 저장소에 등록된 날입니다.",
        "announce_bar": "{subject} {date}부터 변경됩니다.",
        "announce_bar_after": "{subject} {date}부터 변경되었습니다.",
        "announce_more": "개정 안내 보기",
        "announce_label": "정책 개정 공지",
        "home_in_force": "현재 버전",
        "home_upcoming": "개정 예정",
        "days_left": "{days}일 남았습니다",
        "changes_title": "{title} 변경 내용: {date} 시행",
        "changes_intro": "버전 {old}({old_date} 시행)에서 버전 {new}({new_date} 시행)으로 바뀐 내용입니다.",
        "changes_sections": "변경된 조항",
        "changes_compare": "신구대조표",
        "changes_full": "전문 변경 표시",
        "changes_none": "본문에는 바뀐 내용이 없습니다.",
        "col_section": "조항",
        "col_before": "개정 전",
        "col_after": "개정 후",
        "material_section": "중요 조항",
        "legend": "읽는 법: 추가된 내용은 밑줄과 초록색 바탕, 삭제된 내용은 취소선과 붉은색 바탕으로 표시합니다. 화면 낭독기는 추가·삭제의 시작과 끝을 읽어 줍니다.",
        "previous_amendment": "이전 개정",
        "next_amendment": "다음 개정",
        "moved": "위치 이동",
        "added": "신설",
        "deleted": "삭제",
        "changed": "변경",
        "feed_title": "{site} 개정 안내",
        "feed_entry": "{title} 개정 ({date} 시행)",
        "feed_entry_first": "{title} 제정 ({date} 시행)",
        "feed_subtitle": "정책 제정·개정 공고: 시행일, 개정 사유, 변경 내용 비교",
        "feed_link_text": "전문 보기",
        "policies": "정책",
        "preamble": "머리말",
        "cell_added": "<신설>",
        "cell_deleted": "<삭제>",
    },
    "en": {
        "version_n": "Version {n}",
        "effective_on": "effective {date}",
        "announced_on": "announced {date}",
        "in_force_since": "in force since {date}",
        "status_in_force": "This is the version in force. It took effect on {date}.",
        "status_superseded": "This is an earlier version. It was in force from {start} to {end} and no longer applies.",
        "status_announced": "This is an announced amendment. It takes effect on {date}; until then the current version applies.",
        "see_in_force": "See the version in force",
        "no_version_in_force": "No version is in force yet.",
        "notice_title": "Notice of amendment",
        "notice_lead": "{subject} changes on {date} ({days_left}).",
        "notice_lead_after": "{subject} changed on {date}.",
        "notice_reason": "Reason",
        "notice_summary": "Main changes",
        "material_badge": "Material",
        "minor_badge": "Minor",
        "first_badge": "First version",
        "unset_badge": "Unclassified",
        "imported_badge": "Imported",
        "link_changes": "See what changes (before/after comparison)",
        "link_new_text": "Read the amended text",
        "link_archive": "All earlier versions",
        "link_what_changed": "What changed in this version",
        "archive_title": "{title}: version history",
        "archive_intro": "Every version published so far. Each one stays available at its own permanent address.",
        "col_version": "Version",
        "col_effective": "In force",
        "col_announced": "Announced",
        "col_class": "Class",
        "col_reason": "Reason",
        "col_links": "Read",
        "until": "{start} to {end}",
        "from_on": "from {start}",
        "link_text": "Text",
        "link_changes_short": "Changes",
        "imported_note": "Imported: in force before Redline was adopted ({date}); its announcement date is the day it was added to the repository.",
        "announce_bar": "{subject} changes on {date}.",
        "announce_bar_after": "{subject} changed on {date}.",
        "announce_more": "Read the notice",
        "announce_label": "Policy change announcements",
        "home_in_force": "In force",
        "home_upcoming": "Upcoming change",
        "days_left": "{days} days left",
        "day_left": "1 day left",
        "changes_title": "{title}: changes effective {date}",
        "changes_intro": "What changed from version {old} (effective {old_date}) to version {new} (effective {new_date}).",
        "changes_sections": "Sections changed",
        "changes_compare": "Before and after",
        "changes_full": "Full text with changes marked",
        "changes_none": "The text itself did not change.",
        "col_section": "Section",
        "col_before": "Before",
        "col_after": "After",
        "material_section": "material",
        "legend": "How to read: added text is underlined on a green background; deleted text is struck through on a red background. Screen readers announce where each insertion and deletion starts and ends.",
        "previous_amendment": "Previous amendment",
        "next_amendment": "Next amendment",
        "moved": "moved",
        "added": "new",
        "deleted": "removed",
        "changed": "changed",
        "feed_title": "{site}: policy amendments",
        "feed_entry": "{title} amended (effective {date})",
        "feed_entry_first": "{title} published (effective {date})",
        "feed_subtitle": "Notices of new and amended policies: effective date, reason, and what changes",
        "feed_link_text": "Read the full text",
        "policies": "Policies",
        "preamble": "Introduction",
        "cell_added": "<New>",
        "cell_deleted": "<Deleted>",
    },
}

MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def subject(lang: str, title: str) -> str:
    """The title as the subject of a sentence (Korean picks 이/가 by the final consonant)."""
    if lang == "ko":
        last = title.rstrip()[-1:]
        if "가" <= last <= "힣":
            return title + ("이" if (ord(last) - 0xAC00) % 28 else "가")
        return f"{title}이(가)"
    if lang == "en":
        return f"The {title}" if not title.lower().startswith("the ") else title
    return title


def days_left(lang: str, days: int) -> str:
    if lang != "ko" and days == 1:
        return t(lang, "day_left")
    return t(lang, "days_left", days=days)


def t(lang: str, key: str, **values: object) -> str:
    table = STRINGS.get(lang) or STRINGS["en"]
    return (table.get(key) or STRINGS["en"][key]).format(**values)


def day(lang: str, value: date) -> str:
    """A date as a reader of that language writes it."""
    if lang == "ko":
        return f"{value.year}년 {value.month}월 {value.day}일"
    return f"{value.day} {MONTHS_EN[value.month - 1]} {value.year}"
