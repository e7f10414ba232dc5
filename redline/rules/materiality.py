"""R2 materiality floor: an amendment that changes the wording of a material section (or a
sub-section of one) is `change: material`; moving or renumbering a section is no change."""

from __future__ import annotations

from ..diff import DocumentDiff, diff_documents
from ..findings import Finding
from ..model import Policy, Project, Version
from ..notice import material_deadline
from .common import adopted_hint, fmt


def amendment_diff(policy: Policy, version: Version) -> DocumentDiff | None:
    """The authoritative text's diff from the previous version (None for the first version,
    or when an authoritative text is missing or unreadable: R4/R5 say so)."""
    previous = policy.previous(version)
    lang = version.default_language
    if previous is None or lang not in previous.files or lang not in version.files:
        return None
    return diff_documents(previous.files[lang].body, version.files[lang].body)


def changed_sections(policy: Policy, version: Version) -> set[str]:
    """Ids of the sections whose wording differs from the previous version, with the sections
    that contain them (authoritative text). Moving or renumbering a section is no change."""
    diff = amendment_diff(policy, version)
    return diff.substantive_ids() if diff else set()


def material_sections_changed(policy: Policy, version: Version) -> list[str]:
    """The configured material sections whose wording the amendment changes (directly or in
    a sub-section), authoritative text."""
    diff = amendment_diff(policy, version)
    if diff is None:
        return []
    material = set(policy.material_sections)
    return sorted(diff.material_ids(material) & material)


def r2_materiality(project: Project) -> list[Finding]:
    """R2: an amendment touching a section listed in material_sections must be material."""
    out = []
    for policy in project.policies.values():
        for version in policy.versions:
            if version.exempt or version.change != "minor" or not policy.material_sections:
                continue
            touched = material_sections_changed(policy, version)
            if not touched:
                continue
            previous = policy.previous(version)
            assert previous is not None
            material = project.settings.notice_days["material"]
            out.append(
                Finding(
                    "R2",
                    version.main.path,
                    f"the amendment changes material section(s) {', '.join(touched)} "
                    f"(compared with {previous.slug}) but is marked `change: minor`",
                    f"write `change: material` in every language and give at least {material} "
                    "days' notice: the earliest lawful effective date is then "
                    f"{fmt(material_deadline(project, version))}" + adopted_hint(project, version),
                    version.main.line_of("change"),
                )
            )
    return out
