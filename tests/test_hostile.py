"""Hostile and broken content: refused with a clear message and no side effect, or inert."""

from __future__ import annotations

import codecs
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guidegen.project import Project
from tests.builds import guidegen_command, guidegen_env, mini_project, run_guidegen
from tests.conftest import free_port

ALPHA_RO = "content/ro/alpha.yaml"
ALPHA_PL = "content/pl/alpha.yaml"
MAX_SECONDS = 20
MAX_RSS_MB = 400
"""Bounds of a refused run: far above a normal check, far below an exploding one."""

BILLION_LAUGHS = "title: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"level{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 10)
)
"""Nine levels of ten aliases each: 10^9 strings if a loader expanded it."""


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """A fresh copy of the mini fixture project with the real templates."""
    return mini_project(tmp_path / "project")


def measured_build(project: Project) -> tuple[subprocess.CompletedProcess[str], float, float]:
    """Run `guidegen build`; return its result, wall seconds and peak memory in MB."""
    start = time.monotonic()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(
            guidegen_command(project.root, "build"), stdout=out, stderr=err, env=guidegen_env()
        )
        timer = threading.Timer(120, process.kill)
        timer.start()
        _, status, usage = os.wait4(process.pid, 0)
        timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        result = subprocess.CompletedProcess(
            process.args, process.returncode, out.read().decode(), err.read().decode()
        )
    return result, time.monotonic() - start, usage.ru_maxrss / 1024


def assert_refused(project: Project, where: str, words: str = "") -> str:
    """A build of the project exits 1, names the place, writes nothing, shows no traceback."""
    result = run_guidegen(project.root, "build")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(rf"^{re.escape(where)}:\d+:\d+: error: ", result.stderr, re.M), result.stderr
    assert words.lower() in result.stderr.lower()
    assert not project.site_dir.exists() and not project.build_dir.exists()
    return result.stderr


def write(project: Project, path: str, data: str | bytes) -> None:
    """Write a content file as text (UTF-8) or as raw bytes."""
    file = project.root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


@pytest.mark.parametrize(
    "tag",
    ["!!python/object/apply:os.system", "!!python/object/new:os.system", "!!python/name:os.system"],
)
def test_object_tags_are_refused_and_nothing_runs(project: Project, tag: str) -> None:
    marker = project.root / "ran"
    text = (project.root / ALPHA_RO).read_text("utf-8")
    write(project, ALPHA_RO, text.replace("title: ", f"title: {tag} ['touch {marker}'] #", 1))
    assert_refused(project, ALPHA_RO, "tag")
    assert not marker.exists()


def test_billion_laughs_is_refused_quickly_with_bounded_memory(project: Project) -> None:
    write(project, ALPHA_RO, BILLION_LAUGHS)
    result, seconds, peak_mb = measured_build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{ALPHA_RO}:2:" in result.stderr and "alias" in result.stderr
    assert seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB, (seconds, peak_mb)


def test_a_huge_file_is_refused_without_being_parsed(project: Project) -> None:
    write(project, ALPHA_RO, "title: x\n" + "tips:\n" + "  - Sfat scurt și clar.\n" * 400_000)
    result, seconds, peak_mb = measured_build(project)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{ALPHA_RO}:1:1: error: [encoding] file is" in result.stderr
    assert seconds < MAX_SECONDS and peak_mb < MAX_RSS_MB, (seconds, peak_mb)


def test_a_very_long_line_is_built_or_refused_within_bounds(project: Project) -> None:
    text = (project.root / ALPHA_RO).read_text("utf-8")
    write(project, ALPHA_RO, text.replace("Conversia a crescut.", "Conversia crește. " * 50_000))
    result, seconds, peak_mb = measured_build(project)
    assert "Traceback" not in result.stderr
    assert result.returncode == 0 or f"{ALPHA_RO}:" in result.stderr
    assert seconds < 4 * MAX_SECONDS and peak_mb < 4 * MAX_RSS_MB, (seconds, peak_mb)


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "binary"),
        ("title: Zażółć gęślą jaźń\n".encode("cp1250"), "not UTF-8"),
        ("title: Zażółć gęślą jaźń\n".encode("iso-8859-2"), "not UTF-8"),
        (codecs.BOM_UTF16_LE + "title: Zażółć\n".encode("utf-16-le"), "UTF-16"),
        (b"title: \xff\xfe\xfd\n", "not UTF-8"),
    ],
    ids=["binary", "cp1250", "latin2", "utf-16", "garbage"],
)
def test_binary_and_foreign_encodings_are_refused(
    project: Project, data: bytes, words: str
) -> None:
    write(project, ALPHA_PL, data)
    assert_refused(project, ALPHA_PL, words)


@pytest.mark.parametrize(
    "name",
    ["Alpha", "alphă", "ălpha", "a b", "a..b", "..", "alpha%2F..%2Fx", "<script>", "a?b", "-x"],
)
def test_unsafe_or_colliding_file_names_are_refused(project: Project, name: str) -> None:
    text = (project.root / ALPHA_RO).read_text("utf-8")
    write(project, f"content/ro/{name}.yaml", text)
    assert_refused(project, f"content/ro/{name}.yaml", "slug")


def test_two_files_for_one_guide_are_refused(project: Project) -> None:
    write(project, "content/ro/alpha.yml", (project.root / ALPHA_RO).read_text("utf-8"))
    assert_refused(project, ALPHA_RO, "alpha.yml")


@pytest.mark.parametrize(
    ("path", "old", "new"),
    [
        ("data/site.yaml", "guides: [alpha, beta]", "guides: [alpha, ../../etc/passwd]"),
        ("data/kpi_tables.yaml", "id: mini-kpis", "id: ../mini-kpis"),
        (ALPHA_RO, "[link](beta.md)", "[link](../../../outside.md)"),
        (ALPHA_RO, "kpi_tables: [mini-kpis]", "kpi_tables: [../mini-kpis]"),
    ],
    ids=["reading-path", "kpi-id", "link", "kpi-reference"],
)
def test_references_that_leave_the_site_are_refused(
    project: Project, path: str, old: str, new: str
) -> None:
    file = project.root / path
    text = file.read_text("utf-8")
    assert old in text
    file.write_text(text.replace(old, new), "utf-8")
    assert_refused(project, path)


PAYLOADS = {
    "script": "<script>window.pwned=1</script>",
    "iframe": '<iframe src="https://evil.example/"></iframe>',
    "onerror": '<img src=x onerror="window.pwned=2">',
    "svg": '<svg onload="window.pwned=3"></svg>',
    "md-js-link": "[click](javascript:window.pwned=4)",
    "md-js-link-case": "[click]( JaVaScRiPt:window.pwned=5)",
    "html-js-link": '<a href="javascript:window.pwned=6">link</a>',
    "data-link": "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "attr-list": 'Text {{: onclick="window.pwned=7" }}',
    "style": "<style>body{{display:none}}</style>",
    "jinja": "{{{{ 7*7 }}}} {{% for x in range(3) %}}loop{{% endfor %}} {{# note #}}",
    "quote": 'x" autofocus onfocus="window.pwned=9',
    "title-breakout": "</title><script>window.pwned=10</script>",
}
"""Attacks an editor could type into any text field (braces doubled: `{{` is a literal `{`)."""


DIACRITIC_TEXT = {
    ALPHA_RO: "Clienții își amintesc fiecare interacțiune și învață să aibă încredere. " * 60,
    ALPHA_PL: "Zażółć gęślą jaźń, klienci pamiętają każdą rozmowę ze sklepem. " * 60,
}
"""Enough ordinary text per language that the diacritics lint accepts the guide."""


def hostile_guide(text: str, prose: str) -> str:
    """Return a guide with every payload in every kind of text field."""
    guide: dict[str, Any] = yaml.safe_load(text)
    attack = " ".join(PAYLOADS.values())
    guide["title"] = "Titlu " + " ".join(
        PAYLOADS[k] for k in ("script", "jinja", "onerror", "quote", "title-breakout")
    )
    guide["description"] = f"Descriere {PAYLOADS['script']} {PAYLOADS['jinja']}"
    guide["question"] = f"Întrebare {attack}"
    guide["picture"] = f'{prose}\n\n{attack}\n\n<div onclick="window.pwned=8">bloc</div>\n'
    guide["promise"] = attack
    guide["sections"][0] = {"heading": f"Secțiune {attack}", "body": attack, "items": [attack]}
    guide["proof"]["examples"][0].update(title=attack, text=attack)
    guide["plan"]["steps"][0].update(title=attack, text=attack)
    guide["myths"][0].update(myth=attack, reality=attack)
    guide["faq"][0].update(question=f"Ce {attack}?", answer=attack)
    guide["tips"] = [attack]
    return yaml.safe_dump(guide, allow_unicode=True, sort_keys=False, width=10_000)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the fixture with every text field of both alpha guides full of attacks."""
    project = mini_project(tmp_path_factory.mktemp("hostile"))
    for path in (ALPHA_RO, ALPHA_PL):
        file = project.root / path
        file.write_text(hostile_guide(file.read_text("utf-8"), DIACRITIC_TEXT[path]), "utf-8")
    result = run_guidegen(project.root, "build")
    assert result.returncode == 0, result.stderr
    return project.site_dir


def pages(site: Path) -> list[tuple[str, BeautifulSoup]]:
    """Parse every built HTML page."""
    return [
        (p.relative_to(site).as_posix(), BeautifulSoup(p.read_text("utf-8"), "html.parser"))
        for p in sorted(site.rglob("*.html"))
    ]


def live_attacks(path: str, soup: BeautifulSoup) -> list[str]:
    """List what a browser would run or load from the page's attacks."""
    found = []
    for tag in soup.find_all(True):
        if tag.find_parent("title"):
            continue  # a browser reads <title> as plain text
        where = f"{path}: <{tag.name}> in <{tag.parent.name} class={tag.parent.get('class')}>"
        if tag.name == "script" and "pwned" in tag.get_text():
            found.append(f"{where}: script")
        if tag.name in ("iframe", "object", "embed"):
            found.append(f"{where}: {tag.name}")
        found += [f"{where}: handler {a}" for a in tag.attrs if a.lower().startswith("on")]
        for attr in ("href", "src", "action", "formaction", "xlink:href"):
            value = re.sub(r"[\s\x00-\x1f]", "", str(tag.get(attr, ""))).lower()
            if value.startswith(("javascript:", "data:", "vbscript:")):
                found.append(f"{where}: {attr}={value[:40]}")
        if tag.name == "style" and "display:none" in tag.get_text().replace(" ", ""):
            found.append(f"{where}: style")
    return found


def test_no_attack_is_live_in_any_page(hostile_site: Path) -> None:
    found = [attack for path, soup in pages(hostile_site) for attack in live_attacks(path, soup)]
    assert found == [], f"{len(found)} live attacks, e.g.\n" + "\n".join(sorted(set(found))[:20])


def test_attacks_are_shown_as_text(hostile_site: Path) -> None:
    soup = BeautifulSoup((next(hostile_site.rglob("alpha.html"))).read_text("utf-8"), "html.parser")
    heading = soup.h1.get_text()
    assert "<script>window.pwned=1</script>" in heading
    assert "{{ 7*7 }}" in heading and "<img src=x onerror=" in heading
    article = soup.article.get_text()
    assert "{% for x in range(3) %}loop{% endfor %}" in article
    assert "{# note #}" in article
    assert "looploop" not in article and " 49 " not in article


def test_jinja_in_content_is_never_evaluated(hostile_site: Path) -> None:
    for path, soup in pages(hostile_site):
        if soup.article and "Titlu" in soup.title.get_text():
            assert "{{ 7*7 }}" in soup.title.get_text(), path
            assert "{{ 7*7 }}" in soup.article.get_text(), path


BLOCK_SYNTAX = (
    "# Titlu fals",
    '!!! danger "Alertă falsă"',
    '??? note "Detalii false"',
    "---",
    "- punct fals",
    "+ punct fals",
    "* punct fals",
    "1. pas fals",
    "| a | b |\n|---|---|\n| c | d |",
    "> citat fals",
    "<div>bloc</div>",
    "*[NPS]: definiție falsă",
    "[^1]: notă falsă",
    "[ref]: https://example.org/fals",
    "Titlu\n=====",
    "    cod indentat",
)
"""Paragraphs that start a Markdown block; in a text field they must stay text."""


@pytest.fixture(scope="module")
def block_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the fixture with block syntax at the start of inline and multi-paragraph fields."""
    project = mini_project(tmp_path_factory.mktemp("blocks"))
    file = project.root / ALPHA_RO
    guide = yaml.safe_load(file.read_text("utf-8"))
    guide["title"] = "Titlul ghidului\n# Al doilea titlu\n\n## Al treilea"
    guide["picture"] = guide["picture"] + "\n\n" + "\n\n".join(BLOCK_SYNTAX)
    guide["takeaways"] = list(BLOCK_SYNTAX)
    guide["tips"] = ["# Sfat", '!!! note "x"', "1. pas"]
    guide["faq"] = [
        {"question": "??? !!!", "answer": "# Răspuns\n\n- listă"},
        {"question": "A & B `cod & <b>` în întrebare?", "answer": "Da: `x & y` și `<b>`."},
    ]
    file.write_text(yaml.safe_dump(guide, allow_unicode=True, sort_keys=False), "utf-8")
    beta = project.root / "content/ro/beta.yaml"
    beta.write_text(re.sub("(?m)^title: .*$", "title: Beta & <Gamma>", beta.read_text("utf-8")))
    result = run_guidegen(project.root, "build")
    assert result.returncode == 0, result.stderr
    return project.site_dir


def test_block_syntax_in_text_fields_stays_text(block_site: Path) -> None:
    soup = BeautifulSoup((block_site / "alpha.html").read_text("utf-8"), "html.parser")
    article = soup.article
    assert len(article.find_all("h1")) == 1
    assert article.h1.get_text().startswith("Titlul ghidului # Al doilea titlu ## Al treilea")
    assert not article.find_all(["hr", "blockquote", "pre", "sup"])
    assert not article.find_all("div", class_="danger") and not article.find_all("details", "note")
    assert not article.select("li ul, li ol, li h1, li h2, li .admonition, p + ol")
    text = article.get_text()
    for block in BLOCK_SYNTAX:
        assert " ".join(block.split()) in " ".join(text.split()), block
    assert soup.title.get_text().startswith("Titlul ghidului # Al doilea titlu ## Al treilea - ")
    assert "\n" not in soup.title.get_text()


def test_ampersands_read_as_written_in_labels_and_code(block_site: Path) -> None:
    soup = BeautifulSoup((block_site / "alpha.html").read_text("utf-8"), "html.parser")
    codes = [code.get_text() for code in soup.article.find_all("code")]
    assert "x & y" in codes and "<b>" in codes
    link = soup.find("a", attrs={"aria-label": re.compile("^A & B")})
    assert link is not None and link["aria-label"] == "A & B `cod & <b>` în întrebare?"
    assert "&amp;" not in soup.article.get_text()
    labels = [tag["aria-label"] for tag in soup.find_all(attrs={"aria-label": True})]
    assert any("Beta & <Gamma>" in label for label in labels), labels
    assert not [label for label in labels if "&amp;" in label or "&lt;" in label]


def test_a_faq_question_without_letters_gets_an_anchor(block_site: Path) -> None:
    soup = BeautifulSoup((block_site / "alpha.html").read_text("utf-8"), "html.parser")
    ids = [faq.get("id") for faq in soup.find_all("details", class_="gg-faq")]
    assert all(ids) and len(set(ids)) == len(ids), ids
    for anchor in ids:
        assert soup.find("a", href=f"#{anchor}") is not None


def timed(project: Project, *args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run guidegen on the project; return its result and wall seconds."""
    start = time.monotonic()
    result = run_guidegen(project.root, *args)
    return result, time.monotonic() - start


@pytest.mark.parametrize(
    ("shape", "text"),
    [
        ("flow", "title: " + "[" * 100_000 + "]" * 100_000 + "\n"),
        ("flow-mapping", "title: " + "{a: " * 50_000 + "1" + "}" * 50_000 + "\n"),
        ("block", "".join(f"{'  ' * i}k{i}:\n" for i in range(300)) + "  " * 300 + "x: 1\n"),
        ("sequence", "- " * 50_000 + "x\n"),
    ],
)
@pytest.mark.parametrize("command", ["check", "build"])
def test_deep_nesting_is_refused_before_parsing(
    project: Project, shape: str, text: str, command: str
) -> None:
    write(project, ALPHA_RO, text)
    result, seconds = timed(project, command)
    assert result.returncode == 1, (result.returncode, result.stderr[-500:])
    output = result.stdout + result.stderr
    assert "Traceback" not in output and "RecursionError" not in output
    assert re.search(
        rf"^{ALPHA_RO}:\d+:\d+: error: \[yaml-syntax\] .*nested more than", output, re.M
    )
    assert seconds < MAX_SECONDS, seconds


@pytest.mark.parametrize(
    "text",
    [
        "title: x\npicture: " + "cuvânt " * 120_000 + "\n",
        "title: x\ntips:\n" + ("  - TODO TODO " + "cuvinte obișnuite " * 4 + "\n") * 10_000,
        'title: x\npicture: "' + "\\u202e" * 150_000 + '"\n',
    ],
    ids=["repeated-word", "many-items", "many-escapes"],
)
def test_a_one_megabyte_file_is_checked_quickly_with_each_finding_once(
    project: Project, text: str
) -> None:
    assert 800_000 < len(text.encode("utf-8")) < 1_000_000
    write(project, ALPHA_RO, text)
    result, seconds = timed(project, "check")
    findings = [re.sub(r":\d+:\d+:", ":", line) for line in result.stdout.splitlines()]
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(findings) == len(set(findings)), "a finding repeated at one location"
    assert len([f for f in findings if "] tips[" not in f]) < 20, findings[:10]
    assert seconds < MAX_SECONDS, seconds


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_link_out_of_the_repository_is_refused_without_echoing_it(
    project: Project, tmp_path: Path, linked: str
) -> None:
    """A guide file that is a link to a file outside, or that lies in a language folder
    that is a link to a folder outside, is refused."""
    guide = project.root / ALPHA_PL
    secret = tmp_path / "outside" / guide.name
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" * 20 + "token: s3cr3t-VALUE\n")
    if linked == "file":
        guide.unlink()
        guide.symlink_to(secret)
    else:
        shutil.rmtree(guide.parent)
        guide.parent.symlink_to(secret.parent)
    for command in ("check", "build"):
        result = run_guidegen(project.root, command)
        output = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in output
        assert (
            f"{ALPHA_PL}:1:1: error: [unreadable] {ALPHA_PL} is a link to a file outside" in output
        )
        assert "root:x" not in output and "s3cr3t" not in output


def test_values_are_never_echoed_whole(project: Project) -> None:
    long = "confidential " * 500
    write(project, ALPHA_RO, f"title: [{long}]\nfaq: {long}\n")
    result = run_guidegen(project.root, "check")
    assert result.returncode == 1 and "confidential" in result.stdout
    assert max(len(line) for line in result.stdout.splitlines()) < 300


@pytest.mark.parametrize("kind", ["fifo", "folder", "loop"])
def test_special_files_are_named_for_what_they_are(project: Project, kind: str) -> None:
    target = project.root / "content/ro/gamma.yaml"
    if kind == "fifo":
        os.mkfifo(target)
        words = "is not a regular file"
    elif kind == "folder":
        target.mkdir()
        words = "is a folder"
    else:
        target.symlink_to(target.name)
        words = "cannot be opened"
    for command in ("check", "build", "check --fix"):
        result = run_guidegen(project.root, *command.split(), timeout=60)
        output = result.stdout + result.stderr
        assert result.returncode == 1 and "Traceback" not in output, output
        if os.geteuid() != 0 or kind != "unreadable":
            assert (
                f"content/ro/gamma.yaml:1:1: error: [unreadable] content/ro/gamma.yaml {words}"
                in output
            )


def test_the_text_report_never_prints_control_characters(project: Project) -> None:
    fake = "\x1b[32m0 error(s), 0 warning(s)\x1b[0m\r::error::injected"
    text = (project.root / ALPHA_RO).read_text("utf-8")
    write(
        project,
        ALPHA_RO,
        text.replace("title: ", f'"{fake}\\u202e": x\ntitle: ', 1)
        .replace("\x1b", "\\e")
        .replace("\r", "\\r"),
    )
    result = run_guidegen(project.root, "check")
    assert result.returncode == 1
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e]", result.stdout)
    assert "<U+001B>[32m0 error(s)" in result.stdout
    assert not [line for line in result.stdout.splitlines() if line.startswith("::")]


def test_fix_removes_invisible_characters_typed_into_values(project: Project) -> None:
    text = (project.root / ALPHA_RO).read_text("utf-8")
    dirty = text.replace("Cum câștigi", "Cum câș\u200btigi \u202e").replace(
        "Vei ști", "Vei \u2066ști"
    )
    write(project, ALPHA_RO, dirty)
    assert run_guidegen(project.root, "check").returncode == 1
    fixed = run_guidegen(project.root, "check", "--fix")
    assert f"{ALPHA_RO}: fixed 3 character(s)" in fixed.stderr
    assert fixed.returncode == 0, fixed.stdout
    assert (project.root / ALPHA_RO).read_text("utf-8") == text.replace(
        "Cum câștigi", "Cum câștigi "
    )


@pytest.mark.parametrize(
    ("name", "words"),
    [("index", "taken by the site's own 'index' page"), ("a" * 300, "300 characters long")],
)
def test_new_refuses_reserved_and_overlong_names(project: Project, name: str, words: str) -> None:
    result = run_guidegen(project.root, "new", name)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert words in result.stderr
    assert sorted(p.name for p in (project.root / "content/ro").iterdir()) == [
        "alpha.yaml",
        "beta.yaml",
    ]


def test_serve_names_a_file_error_instead_of_blaming_the_address(project: Project) -> None:
    (project.root / "build").write_text("a file where a folder belongs")
    port = str(free_port())
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(
            guidegen_command(project.root, "serve", "--dev-addr", f"127.0.0.1:{port}"),
            stdout=log,
            stderr=log,
            env=guidegen_env(),
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and process.poll() is None:
                log.seek(0)
                if b"serving http" in log.read():
                    break
                time.sleep(0.2)
        finally:
            process.terminate()
            process.wait(timeout=30)
        log.seek(0)
        output = log.read().decode()
    assert "Traceback" not in output and "pick another --dev-addr" not in output, output
    assert "error: build/" in output and "Not a directory" in output, output
    assert f"serving http://127.0.0.1:{port}/" in output


FRAGMENTS = (
    "[x](#primul-exemplu)",
    "[x](#nowhere)",
    "[x](beta.md#contextul)",
    "[x](beta.md#nu-exista)",
    "[x](alpha.md#ce-inseamna-nps)",
    "[x](#kpi-mini-kpis)",
    "[x](#kpi-mini-kpis_1)",
    "{{literal}}",
    "{yearly}",
    "# heading",
    "!!! note",
    "`code & <b>`",
    "\u202e",
    "a\u200bb",
    "<img src=x onerror=alert(1)>",
)
"""Text an editor may put into a field: some of it check must refuse, all else must build."""
NUMBERS = (0, -5, 12.5, 1e12, 1e13, float("inf"), float("nan"), 10**30)


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    field=st.sampled_from(["question", "picture", "promise", "title"]),
    text=st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3).map(" ".join),
    number=st.sampled_from(NUMBERS),
)
def test_whatever_check_accepts_build_builds(
    tmp_path: Path, field: str, text: str, number: float
) -> None:
    project = mini_project(tmp_path / f"p{abs(hash((field, text, number)))}")
    guide = yaml.safe_load((project.root / ALPHA_RO).read_text("utf-8"))
    guide[field] = f"{guide[field]} {text}"
    write(project, ALPHA_RO, yaml.safe_dump(guide, allow_unicode=True, sort_keys=False))
    kpi = project.root / "data/kpi_tables.yaml"
    written = yaml.safe_dump(number).split("\n")[0]
    kpi.write_text(kpi.read_text("utf-8").replace("value: 12.5", f"value: {written}"))
    checked = run_guidegen(project.root, "check")
    built = run_guidegen(project.root, "build")
    assert "Traceback" not in checked.stdout + checked.stderr + built.stderr
    if checked.returncode == 0:
        assert built.returncode == 0, built.stderr[-2000:]
