"""Random input through load -> validate -> render ends in pages or our own problems only."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from guidegen.errors import GuidegenError, Problem, has_errors
from guidegen.lint import lint_document, lint_text
from guidegen.loader import Document, decode, parse
from guidegen.memo import Memo
from guidegen.model import Guide
from guidegen.project import Project
from guidegen.render import render_pages
from guidegen.structure import OutputFile
from guidegen.validate import load_content
from guidegen.variants import documents
from tests.builds import FIXTURE, mini_project

PROFILE = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
"""Modest example counts: the whole property suite stays within seconds on CI."""

GUIDE_FILE = "content/ro/alpha.yaml"
ALPHA = yaml.safe_load((FIXTURE / GUIDE_FILE).read_text("utf-8"))

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40)
)
keys = st.one_of(st.sampled_from(sorted(Guide.model_fields)), st.text(max_size=10))
yaml_data = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)
    ),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The mini fixture project; each example overwrites one guide file."""
    return mini_project(tmp_path_factory.mktemp("properties"))


def run_pipeline(project: Project, raw: bytes) -> list[Problem] | list[OutputFile]:
    """Put raw in place of a guide; return the generated files or the problems found.

    Like `guidegen build`, nothing is rendered when check found an error.
    """
    (project.root / GUIDE_FILE).write_bytes(raw)
    content, problems = load_content(project)
    assert all(isinstance(p, Problem) for p in problems)
    if content is None or has_errors(problems):
        assert any(p.severity == "error" for p in problems)
        return problems
    try:
        return documents(render_pages(project, content, {}), content, Memo())
    except GuidegenError as error:
        return error.problems


def assert_pages_or_problems(result: list[Problem] | list[OutputFile]) -> None:
    """The run gave either files with text or problems that point into a file."""
    assert all(isinstance(item, (Problem, OutputFile)) for item in result)
    for item in result:
        if isinstance(item, Problem):
            assert item.path and item.line >= 1 and item.col >= 1 and item.message


def with_value(data: Any, path: list[int], value: Any) -> Any:
    """Return data with the node chosen by path (indexes into keys/items) replaced."""
    if not path or not isinstance(data, (dict, list)) or not data:
        return value
    if isinstance(data, dict):
        key = sorted(data)[path[0] % len(data)]
        return {**data, key: with_value(data[key], path[1:], value)}
    index = path[0] % len(data)
    return [*data[:index], with_value(data[index], path[1:], value), *data[index + 1 :]]


@PROFILE
@given(raw=st.binary(max_size=300))
def test_random_bytes_decode_and_parse_or_report(raw: bytes) -> None:
    text, problems = decode("x.yaml", raw)
    if text is None:
        assert problems and all(isinstance(p, Problem) for p in problems)
        return
    doc, problems = parse("x.yaml", text)
    assert (doc is None) == bool(problems)


@PROFILE
@given(text=st.text(max_size=300))
def test_random_text_as_a_guide(project: Project, text: str) -> None:
    assert_pages_or_problems(run_pipeline(project, text.encode("utf-8", "surrogatepass")))


@PROFILE
@given(data=yaml_data)
def test_random_yaml_documents_as_a_guide(project: Project, data: Any) -> None:
    raw = yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass")
    assert_pages_or_problems(run_pipeline(project, raw))


@PROFILE
@given(path=st.lists(st.integers(0, 20), max_size=4), value=yaml_data)
def test_a_valid_guide_with_one_random_value(project: Project, path: list[int], value: Any) -> None:
    data = with_value(ALPHA, path, value)
    raw = yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass")
    assert_pages_or_problems(run_pipeline(project, raw))


@PROFILE
@given(
    text=st.text(min_size=1, max_size=200),
    field=st.sampled_from(["title", "description", "question", "picture", "promise"]),
)
def test_random_unicode_in_a_text_field(project: Project, text: str, field: str) -> None:
    raw = yaml.safe_dump({**ALPHA, field: text}, allow_unicode=True)
    assert_pages_or_problems(run_pipeline(project, raw.encode("utf-8", "surrogatepass")))


def test_the_unchanged_guide_renders(project: Project) -> None:
    result = run_pipeline(project, (FIXTURE / GUIDE_FILE).read_bytes())
    assert result and all(isinstance(item, OutputFile) for item in result)


lint_texts = st.lists(
    st.one_of(
        st.text(max_size=30),
        st.lists(
            st.sampled_from(
                [*'ab ,.()„”"', "lorem", "ıpsum", "İPSUM", "TODO", "<>", *"şж\u200b\x07"]
            ),
            max_size=12,
        ).map("".join),
    ),
    min_size=1,
    max_size=6,
)


@PROFILE
@given(texts=lint_texts)
@example(texts=["Un program, program nou"])
@example(texts=["(lorem ıpsum)", "ok"])
@example(texts=["İpsum"])
def test_a_files_first_look_never_hides_what_each_text_breaks(texts: list[str]) -> None:
    """lint_document looks at all texts of a file at once before checking each one; it must
    report exactly what checking every text with every rule reports."""
    doc, problems = parse("content/ro/x.yaml", yaml.safe_dump({"faq": texts}, allow_unicode=True))
    assert doc is not None, problems
    each = [p for loc, text in doc.strings for p in lint_text(doc, loc, text, "ro")]
    assert sorted(set(lint_document(doc, "ro")) - set(_diacritics(doc))) == sorted(set(each))


def _diacritics(doc: Document) -> list[Problem]:
    """The file-wide rule of lint_document (too few diacritics), not a rule of each text."""
    return [p for p in lint_document(doc, "ro") if p.rule == "no-diacritics"]
