"""Redline's benchmark: how much a large history costs on top of MkDocs itself.

Generates a synthetic repository (benchmarks/generate.py), then measures:

- the Redline build: `python -m mkdocs build --strict` with the hook, REDLINE_TODAY fixed;
- the baseline: the very pages Redline generates, materialised as plain Markdown files and
  built with the same theme, plugins and navigation exclusions but no hook;
- `redline check` (the command line, start-up included, and the engine in-process), the git
  history read, and `diff_documents` on a 15 KB pair, a 1 MB pair and a many-edits pair.

Builds alternate Redline / baseline and every figure is the median of its runs. Wall time is
what the budgets use; CPU time (user + system of the build process) is reported beside it
because it is steadier on a shared machine.

    python benchmarks/run.py            # P=10 V=40 L=2 S=15, the size the budgets are set for
    python benchmarks/run.py --quick    # a small size, under two minutes
    python benchmarks/run.py --double-v # also 2V, for the scaling budget
    python benchmarks/run.py --json     # one JSON object on stdout
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import pstats
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, replace
from datetime import date
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import Config, Generated, diff_pairs, generate  # noqa: E402

SIZES = {
    "tiny": Config(policies=2, versions=3, languages=2, size_kb=2),
    "quick": Config(policies=3, versions=10, languages=2, size_kb=10),
    "full": Config(policies=10, versions=40, languages=2, size_kb=15),
}
BUDGETS = {"build_ratio": 1.10, "check_s": 1.0, "double_v_ratio": 2.0 * 1.10}
BUDGET_SIZE = SIZES["full"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Processes


@dataclass
class Run:
    wall_s: float
    cpu_s: float
    rss_mb: float
    returncode: int


def timed(cmd: list[str], cwd: Path, env: dict, log_file: Path) -> Run:
    """Run a command to completion; wall time, and the CPU time and peak RSS of that process
    alone (os.wait4 gives the rusage of one child, unlike RUSAGE_CHILDREN)."""
    with log_file.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, proc.returncode)


def require_ok(run: Run, what: str, log_file: Path) -> None:
    if run.returncode != 0:
        tail = log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        raise SystemExit(
            f"{what} failed (exit {run.returncode}); end of {log_file}:\n" + "\n".join(tail)
        )


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def best_of(fn, runs: int) -> tuple[float, list[float]]:
    """Median seconds of `runs` calls of fn (after one warm-up call), and all the samples."""
    fn()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return median(samples), samples


# --------------------------------------------------------------------------------------------
# The baseline: Redline's pages as plain files, built without the hook


STEPS = ("settings", "load", "check", "build_site", "stage", "records")


def engine_steps(generated: Generated, staging: Path, records_dir: Path | None = None):
    """What the hook does in `on_config` and `on_post_build`, step by step, outside MkDocs.

    Returns the site and, for each step, (CPU seconds, wall seconds)."""
    from ruamel.yaml import YAML

    from redline.config import load_settings
    from redline.model import load_project
    from redline.records import write_records
    from redline.rules import check
    from redline.site import build_site
    from redline.staging import stage

    times: dict[str, tuple[float, float]] = {}

    def cpu_now() -> float:  # this process and its finished children (build_site's workers)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    def step(name, fn):
        cpu, wall = cpu_now(), time.perf_counter()
        value = fn()
        times[name] = (cpu_now() - cpu, time.perf_counter() - wall)
        return value

    settings = step("settings", lambda: load_settings(generated.config_file))
    project = step("load", lambda: load_project(settings, generated.today))
    findings = step("check", lambda: check(project))
    if findings:
        log(f"  warning: the engine reports {len(findings)} finding(s) on the generated repository")
    data = YAML(typ="rt").load(generated.config_file.read_text(encoding="utf-8"))
    homes = project.home_pages()
    site_name = str(data.get("site_name") or "")
    site = step("build_site", lambda: build_site(project, generated.today, homes, site_name))
    step("stage", lambda: stage(settings.docs_dir, staging, site.pages, project.assets))
    if records_dir is not None:
        records_dir.mkdir(parents=True, exist_ok=True)
        url = str(data.get("site_url") or "")
        step("records", lambda: write_records(project, site, records_dir, url))
    return site, times


def materialise(generated: Generated, target: Path) -> int:
    """Stage exactly the pages the hook would stage, as real files; returns how many pages."""
    site, _ = engine_steps(generated, target)
    for link in [p for p in target.rglob("*") if p.is_symlink()]:
        source = link.resolve()
        link.unlink()
        shutil.copy2(source, link)
    return len(site.pages)


def measure_breakdown(generated: Generated, work: Path, runs: int) -> dict:
    """Where the hook's own time goes: each engine step in-process, the least CPU time over
    `runs` repetitions (short steps repeated are far steadier than whole builds)."""
    from redline.staging import staging_root

    best: dict[str, float] = {}
    for i in range(runs):
        scratch = work / f"breakdown-{i}"
        staging = staging_root(0) / f"redline-benchmark-{os.getpid()}-{i}"  # where the hook stages
        _, times = engine_steps(generated, staging / "docs", scratch / "site")
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)
        for name, (cpu, _) in times.items():
            best[name] = min(best.get(name, cpu), cpu)
    out = {name: round(best[name], 3) for name in STEPS if name in best}
    out["total"] = round(sum(best.values()), 3)
    return out


def plain_config(text: str, docs_dir: Path, policies: list[str]) -> str:
    """mkdocs.yml without `hooks:`, reading `docs_dir`, keeping generated pages out of the
    navigation with `not_in_nav` as the hook does with InclusionLevel.NOT_IN_NAV, and with
    Redline's templates as the theme's custom_dir (the hook puts them on the search path)."""
    from redline_mkdocs import THEME

    out, skipping = [], False
    for line in text.splitlines():
        if skipping and (line.startswith((" ", "-")) or not line.strip()):
            continue
        skipping = line.rstrip() == "hooks:"
        if skipping:
            continue
        if line.startswith("docs_dir:"):
            line = f"docs_dir: {docs_dir}"
        out.append(line)
        if line.strip() == "name: material":
            out.append(f"  custom_dir: {THEME}")
    patterns = [
        pattern
        for pid in policies
        for pattern in (f"/{pid}/[0-9]*.md", f"/{pid}/archive*.md", f"/{pid}/changes/")
    ]
    out.append("not_in_nav: |\n" + "\n".join(f"  {p}" for p in patterns))
    return "\n".join(out) + "\n"


def site_stats(site: Path) -> dict:
    pages = [p for p in site.rglob("index.html")]
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    return {"html_pages": len(pages), "site_mb": round(size / 2**20, 1)}


# --------------------------------------------------------------------------------------------
# Measurements


def measure_check(generated: Generated, work: Path, runs: int) -> dict:
    from redline.config import load_settings
    from redline.model import load_project
    from redline.rules import check

    settings = load_settings(generated.config_file)
    findings = []

    def load():
        return load_project(settings, generated.today)

    load_s, _ = best_of(load, runs)
    project = load()

    def rules():
        findings[:] = check(project)

    rules_s, _ = best_of(rules, runs)
    out = {
        "load_s": round(load_s, 3),
        "rules_s": round(rules_s, 3),
        "check_inprocess_s": round(load_s + rules_s, 3),
        "check_findings": len(findings),
    }
    cmd = [sys.executable, "-m", "redline", "check", "--today", generated.today.isoformat()]
    samples = []
    for i in range(runs + 1):  # the first run warms the file cache
        run = timed(cmd, generated.path, ENV, work / "logs" / f"check-{i}.log")
        require_ok(run, "redline check", work / "logs" / f"check-{i}.log")
        if i:
            samples.append(run.wall_s)
    out["check_s"] = round(median(samples), 3)
    return out


def measure_history(generated: Generated, runs: int) -> float:
    from redline.config import load_settings
    from redline.history import read_history

    s = load_settings(generated.config_file)
    seconds, _ = best_of(
        lambda: read_history(s.root, s.docs_dir, s.timezone, generated.today, None, s.branch),
        runs,
    )
    return round(seconds, 3)


def measure_diffs(seed: int, size: str) -> dict:
    from redline import diff

    def cold(old: str, new: str) -> None:
        """A first diff of this pair: nothing parsed or tokenized before."""
        diff.clear_caches()
        diff.diff_documents(old, new)

    out = {}

    for name, (old, new) in diff_pairs(seed).items():
        runs = 1 if size == "tiny" else 3 if name == "1mb" else 15 if size == "full" else 5
        seconds, _ = best_of(lambda o=old, n=new: cold(o, n), runs)
        out[f"diff_{name}_ms"] = round(seconds * 1000, 1)
        out[f"diff_{name}_bytes"] = [len(old.encode()), len(new.encode())]
    return out


def measure_builds(generated: Generated, work: Path, runs: int, warmup: int, plain: bool) -> dict:
    """Alternating Redline and baseline builds; medians of wall and CPU time, peak RSS."""
    today = generated.today.isoformat()
    env = {**ENV, "REDLINE_TODAY": today}
    logs = work / "logs"
    py = [sys.executable, "-m", "mkdocs", "build", "--strict"]
    redline_cmd = py + ["-f", str(generated.config_file), "-d", str(work / "site-redline")]
    plain_cmd = []
    pages = None
    if plain:
        plain_dir = work / "plain"
        if plain_dir.exists():
            shutil.rmtree(plain_dir)
        pages = materialise(generated, plain_dir / "docs")
        (plain_dir / "mkdocs.yml").write_text(
            plain_config(
                generated.config_file.read_text(encoding="utf-8"),
                plain_dir / "docs",
                sorted(generated.policies),
            ),
            encoding="utf-8",
        )
        plain_cmd = py + ["-f", str(plain_dir / "mkdocs.yml"), "-d", str(work / "site-plain")]
    results: dict[str, list[Run]] = {"redline": [], "plain": []}
    for i in range(warmup + runs):
        order = [("redline", redline_cmd)] + ([("plain", plain_cmd)] if plain else [])
        if i % 2:
            order.reverse()
        for name, cmd in order:
            label = f"{name}-{i}"
            log(f"  build {label} ...")
            run = timed(cmd, generated.path, env, logs / f"{label}.log")
            require_ok(run, f"the {name} build", logs / f"{label}.log")
            log(f"  build {label}: {run.wall_s:.2f} s wall, {run.cpu_s:.2f} s CPU")
            if i >= warmup:
                results[name].append(run)
    red = results["redline"]
    hook_log = (logs / f"redline-{warmup + runs - 1}.log").read_text(
        encoding="utf-8", errors="replace"
    )
    generated_pages = re.search(r"(\d+) generated pages", hook_log)
    out = {
        "pages": int(generated_pages[1]) if generated_pages else None,
        "redline_build_s": round(median([r.wall_s for r in red]), 2),
        "redline_build_cpu_s": round(median([r.cpu_s for r in red]), 2),
        "peak_rss_mb": round(max(r.rss_mb for r in red), 1),
        "redline_build_min_s": round(min(r.wall_s for r in red), 2),
        "redline_runs_s": [round(r.wall_s, 2) for r in red],
        "redline_runs_cpu_s": [round(r.cpu_s, 2) for r in red],
    }
    stats = site_stats(work / "site-redline")
    out["html_pages"] = stats["html_pages"]
    out["redline_site_mb"] = stats["site_mb"]
    if plain:
        pl = results["plain"]
        plain_stats = site_stats(work / "site-plain")
        out.update(
            plain_pages=pages,
            plain_build_s=round(median([r.wall_s for r in pl]), 2),
            plain_build_cpu_s=round(median([r.cpu_s for r in pl]), 2),
            plain_peak_rss_mb=round(max(r.rss_mb for r in pl), 1),
            plain_build_min_s=round(min(r.wall_s for r in pl), 2),
            plain_runs_s=[round(r.wall_s, 2) for r in pl],
            plain_runs_cpu_s=[round(r.cpu_s, 2) for r in pl],
            plain_html_pages=plain_stats["html_pages"],
            plain_site_mb=plain_stats["site_mb"],
        )
        out["build_ratio"] = round(out["redline_build_s"] / out["plain_build_s"], 3)
        out["build_ratio_cpu"] = round(out["redline_build_cpu_s"] / out["plain_build_cpu_s"], 3)
        out["build_ratio_min"] = round(out["redline_build_min_s"] / out["plain_build_min_s"], 3)
    return out


def profile_build(generated: Generated, work: Path, target: Path) -> None:
    """One more Redline build under cProfile; the 25 most expensive functions to stderr."""
    env = {**ENV, "REDLINE_TODAY": generated.today.isoformat()}
    cmd = [sys.executable, "-m", "cProfile", "-o", str(target), "-m", "mkdocs", "build"]
    cmd += ["--strict", "-f", str(generated.config_file), "-d", str(work / "site-profile")]
    run = timed(cmd, generated.path, env, work / "logs" / "profile.log")
    require_ok(run, "the profiled build", work / "logs" / "profile.log")
    log(f"profile written to {target} ({run.wall_s:.1f} s under cProfile)")
    stats = pstats.Stats(str(target), stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(25)


# --------------------------------------------------------------------------------------------
# One configuration, and the report


def measure(
    config: Config, work: Path, args: argparse.Namespace, *, only_builds: bool = False
) -> dict:
    log(f"generating {config.label()} in {work} ...")
    generated = generate(work / "repo", config, force=True)
    (work / "logs").mkdir(exist_ok=True)
    log(f"  {generated.commits} commits, {generated.files} files in {generated.seconds:.1f} s")
    result: dict = {
        "config": {
            k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(config).items()
        },
        "generate_s": round(generated.seconds, 2),
        "commits": generated.commits,
    }
    result.update(measure_builds(generated, work, args.runs, args.warmup, plain=not args.no_plain))
    if only_builds:
        return result
    small = {"tiny": 1, "quick": 3}.get(args.size, 5)
    log("  check, history, diffs ...")
    result.update(measure_check(generated, work, small))
    result["history_s"] = measure_history(generated, small)
    result["engine_cpu_s"] = measure_breakdown(generated, work, small)
    if "plain_build_cpu_s" in result:
        result["engine_share_of_plain_cpu"] = round(
            result["engine_cpu_s"]["total"] / result["plain_build_cpu_s"], 3
        )
    result.update(measure_diffs(config.seed, args.size))
    if args.profile:
        try:
            profile_build(generated, work, args.profile)
        except SystemExit as exc:  # a failed profile must not lose the measurements
            log(f"profiling failed: {exc}")
    return result


def budgets(result: dict, config: Config) -> dict:
    out = {"apply": asdict(config) == asdict(BUDGET_SIZE)}
    for key in ("build_ratio", "check_s"):
        if result.get(key) is not None:
            out[key] = {
                "value": result[key],
                "limit": BUDGETS[key],
                "ok": result[key] <= BUDGETS[key],
            }
    if "double_v" in result:
        ratio = result["double_v"]["redline_ratio"]
        out["double_v_ratio"] = {
            "value": ratio,
            "limit": BUDGETS["double_v_ratio"],
            "ok": ratio <= BUDGETS["double_v_ratio"],
        }
    return out


def environment() -> dict:
    versions = {}
    for dist in ("mkdocs", "mkdocs-material", "mkdocs-static-i18n", "ruamel.yaml", "jsonschema"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "load_avg": [round(x, 2) for x in os.getloadavg()],
        "packages": versions,
    }


def text_report(r: dict) -> str:
    c = r["config"]
    lines = [
        f"Redline benchmark  P={c['policies']} V={c['versions']} L={c['languages']} "
        f"S={c['size_kb']} KB  today={c['today']}  runs={r['runs']} (medians)",
        f"  pages generated       {r.get('pages')}  ({r.get('html_pages')} HTML pages built)",
        f"  redline build         {r['redline_build_s']:.2f} s wall  "
        f"{r['redline_build_cpu_s']:.2f} s CPU  peak RSS {r['peak_rss_mb']:.0f} MB",
    ]
    if "plain_build_s" in r:
        lines += [
            f"  plain build           {r['plain_build_s']:.2f} s wall  "
            f"{r['plain_build_cpu_s']:.2f} s CPU  peak RSS {r['plain_peak_rss_mb']:.0f} MB",
            f"  build ratio           {r['build_ratio']:.3f} wall  {r['build_ratio_cpu']:.3f} CPU  "
            f"{r['build_ratio_min']:.3f} best-of wall",
        ]
    if "check_s" in r:
        lines += [
            f"  redline check         {r['check_s']:.3f} s (command line); in-process "
            f"{r['check_inprocess_s']:.3f} s = load {r['load_s']:.3f} + rules {r['rules_s']:.3f}",
            f"  git history read      {r['history_s']:.3f} s",
        ]
    if "engine_cpu_s" in r:
        e = r["engine_cpu_s"]
        steps = "  ".join(f"{k} {v:.2f}" for k, v in e.items() if k != "total")
        share = r.get("engine_share_of_plain_cpu")
        lines.append(
            f"  hook work (CPU, best) {e['total']:.2f} s = {steps}"
            + (f"  ({share:.1%} of the plain build's CPU)" if share else "")
        )
    if "diff_15kb_ms" in r:
        lines.append(
            f"  diff                  15 KB {r['diff_15kb_ms']:.1f} ms  1 MB {r['diff_1mb_ms']:.1f} ms"
            f"  many edits {r['diff_many_edits_ms']:.1f} ms"
        )
    elif "diff_error" in r:
        lines.append(f"  diff                  {r['diff_error']}")
    if "double_v" in r:
        d = r["double_v"]
        lines.append(
            f"  doubling V            {d['versions'][0]} -> {d['versions'][1]}: redline "
            f"{d['redline_build_s'][0]:.2f} -> {d['redline_build_s'][1]:.2f} s (x{d['redline_ratio']:.2f})"
            + (
                f", plain {d['plain_build_s'][0]:.2f} -> {d['plain_build_s'][1]:.2f} s "
                f"(x{d['plain_ratio']:.2f})"
                if d.get("plain_ratio")
                else ""
            )
        )
    b = r["budgets"]
    lines.append(
        f"  budgets ({'they apply at this size' if b['apply'] else 'set for P=10 V=40 L=2 S=15, shown for reference'}):"
    )
    for key, v in b.items():
        if key != "apply":
            lines.append(
                f"    {key:<20} {v['value']} <= {v['limit']}  {'ok' if v['ok'] else 'OVER'}"
            )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size = parser.add_mutually_exclusive_group()
    size.add_argument(
        "--quick",
        dest="size",
        action="store_const",
        const="quick",
        help=f"{SIZES['quick'].label()}",
    )
    size.add_argument(
        "--tiny",
        dest="size",
        action="store_const",
        const="tiny",
        help=f"{SIZES['tiny'].label()} (for the test)",
    )
    parser.set_defaults(size="full")
    parser.add_argument("-P", "--policies", type=int)
    parser.add_argument("-V", "--versions", type=int)
    parser.add_argument("-L", "--languages", type=int)
    parser.add_argument("-S", "--size-kb", type=float)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--runs", type=int, help="timed builds of each kind (default 3; tiny 1)")
    parser.add_argument(
        "--warmup", type=int, help="untimed builds of each kind first (default 1; tiny 0)"
    )
    parser.add_argument(
        "--double-v", action="store_true", help="also build 2V; report the scaling ratio"
    )
    parser.add_argument("--no-plain", action="store_true", help="skip the baseline builds")
    parser.add_argument(
        "--profile", type=Path, metavar="OUT.prof", help="also profile one Redline build"
    )
    parser.add_argument("--out", type=Path, help="work folder to keep (default: a temporary one)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    args = parser.parse_args(argv)
    if args.profile:
        args.profile = args.profile.resolve()  # the build runs in the generated repository
    tiny = args.size == "tiny"
    args.runs = args.runs or (1 if tiny else 3)
    args.warmup = args.warmup if args.warmup is not None else (0 if tiny else 1)
    overrides = {
        k: getattr(args, k)
        for k in ("policies", "versions", "languages", "size_kb", "seed")
        if getattr(args, k) is not None
    }
    config = replace(SIZES[args.size], **overrides)

    work = args.out.resolve() if args.out else Path(tempfile.mkdtemp(prefix="redline-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        result = measure(config, work / "base", args)
        if args.double_v:
            doubled = replace(config, versions=config.versions * 2)
            big = measure(doubled, work / "double", args, only_builds=True)
            d = {
                "versions": [config.versions, doubled.versions],
                "pages": [result.get("pages"), big.get("pages")],
                "redline_build_s": [result["redline_build_s"], big["redline_build_s"]],
                "redline_ratio": round(big["redline_build_s"] / result["redline_build_s"], 3),
                "redline_cpu_ratio": round(
                    big["redline_build_cpu_s"] / result["redline_build_cpu_s"], 3
                ),
                "peak_rss_mb": [result["peak_rss_mb"], big["peak_rss_mb"]],
            }
            if "plain_build_s" in big:
                d["plain_build_s"] = [result["plain_build_s"], big["plain_build_s"]]
                d["plain_ratio"] = round(big["plain_build_s"] / result["plain_build_s"], 3)
            result["double_v"] = d
    finally:
        if not args.out:
            shutil.rmtree(work, ignore_errors=True)
    result["runs"] = args.runs
    result["size"] = args.size
    result["total_s"] = round(time.perf_counter() - started, 1)
    result["environment"] = environment()
    result["budgets"] = budgets(result, config)
    if args.json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(text_report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
