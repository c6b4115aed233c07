"""Typed content model: what a guide, a KPI table and the site texts may contain."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

LANGS: tuple[str, ...] = ("ro", "pl")
"""The content languages, default first."""

Lang = Literal["ro", "pl"]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""Non-empty text; inline Markdown (emphasis, links) is allowed, raw HTML is shown as text."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80)]
"""Lower-case ASCII words joined by single hyphens: safe in file names and URLs."""


Term = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=40, pattern=r"^[^\[\]<>&\n]+$")
]
"""A glossary term as it appears in text: no brackets, markup or line breaks."""


class Strict(BaseModel):
    """Base of every model: unknown fields are errors, objects are immutable."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, strict=True, use_attribute_docstrings=True
    )


class Localized(Strict):
    """The same text in every content language."""

    ro: Text
    pl: Text


CurrencyCode = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""An ISO 4217 currency code, e.g. EUR."""
ValueKind = Literal["percent", "count", "decimal", "currency", "score", "duration"]
DurationUnit = Literal["minute", "hour", "day", "week", "month"]


class Value(Strict):
    """A language-neutral number and how to read it; formatted per locale at render time."""

    kind: ValueKind
    value: float | int
    max: int | None = None
    """Scale of a score, e.g. 100 for 88/100."""
    unit: DurationUnit | None = None
    """Unit of a duration."""
    currency: CurrencyCode | None = None
    """ISO 4217 code of a currency amount."""

    @model_validator(mode="after")
    def _check_kind_fields(self) -> Value:
        """Require exactly the extra fields the kind needs."""
        needs = {"score": "max", "duration": "unit", "currency": "currency"}
        for kind, field in needs.items():
            present = getattr(self, field) is not None
            if kind == self.kind and not present:
                raise ValueError(f"a {kind} value needs '{field}'")
            if kind != self.kind and present:
                raise ValueError(f"'{field}' only applies to a {kind} value, not a {self.kind}")
        return self


class KpiRow(Value):
    """One indicator of a KPI table."""

    label: Localized
    note: Localized | None = None


class KpiTable(Strict):
    """A KPI table stored once in data/kpi_tables.yaml and referenced by id from guides."""

    id: Slug
    title: Localized
    columns: dict[Lang, Annotated[list[Text], Field(min_length=3, max_length=3)]]
    """Header of the three columns (indicator, value, note) per language."""
    rows: Annotated[list[KpiRow], Field(min_length=1)]
    source: Localized
    """Where the values come from and what they are (e.g. one anonymous company's example);
    shown under the table."""


class KpiData(Strict):
    """The whole of data/kpi_tables.yaml."""

    tables: Annotated[list[KpiTable], Field(min_length=1)]


class Figure(Value):
    """A key number that illustrates an example, with its caption."""

    caption: Text


class Example(Strict):
    """A concrete example or case study of the proof section."""

    title: Text
    text: Text
    figure: Figure | None = None


class Proof(Strict):
    """Evidence: examples and case studies."""

    intro: Text | None = None
    examples: Annotated[list[Example], Field(min_length=1)]


class Step(Strict):
    """One numbered step of the action plan."""

    title: Text
    text: Text


class Plan(Strict):
    """The step-by-step action plan (the push)."""

    intro: Text | None = None
    steps: Annotated[list[Step], Field(min_length=1)]


class Myth(Strict):
    """A common belief and what is actually true."""

    myth: Text
    reality: Text


class Faq(Strict):
    """A frequently asked question with its answer."""

    question: Text
    answer: Text


class TextTable(Strict):
    """A small table of words (e.g. loyalty tiers), written per language."""

    caption: Text
    columns: Annotated[list[Text], Field(min_length=2)]
    rows: Annotated[list[list[Text]], Field(min_length=1)]

    @model_validator(mode="after")
    def _check_row_widths(self) -> TextTable:
        """Give every row as many cells as there are columns."""
        for number, row in enumerate(self.rows):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"row {number} has {len(row)} cells but the table has "
                    f"{len(self.columns)} columns"
                )
        return self


class Section(Strict):
    """A free topical section: a heading with prose, a bullet list and/or a table."""

    heading: Text
    body: Text | None = None
    items: list[Text] = []
    table: TextTable | None = None

    @model_validator(mode="after")
    def _check_not_empty(self) -> Section:
        """Refuse a heading with nothing under it."""
        if self.body is None and not self.items and self.table is None:
            raise ValueError("a section needs a body, items or a table")
        return self


class TranslationRef(Strict):
    """Which source this translation was last brought up to date with."""

    source: Lang
    fingerprint: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{12}$")]


class Guide(Strict):
    """One guide in one language: Picture, Promise, Proof, Push."""

    title: Text
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    question: Text
    picture: Text
    promise: Text
    takeaways: list[Text] = []
    sections: list[Section] = []
    proof: Proof | None = None
    kpi_tables: list[Slug] = []
    plan: Plan | None = None
    myths: list[Myth] = []
    tips: list[Text] = []
    faq: list[Faq] = []
    translated_from: TranslationRef | None = None


class Labels(Strict):
    """Words the templates put around the content, in one language."""

    picture: Text
    promise: Text
    takeaways: Text
    proof: Text
    kpis: Text
    plan: Text
    myths: Text
    myth: Text
    reality: Text
    tips: Text
    faq: Text
    guides: Text
    glossary: Text
    reading_paths: Text
    topic_guides: Text
    """The navigation's link to a topic page when only some of the topic's guides are shown."""
    all_topics: Text
    """The navigation's link to the home page's topics when only some topics are shown."""
    reading_time: Text
    """Contains '{minutes}'."""
    updated: Text
    """Contains '{date}'."""
    fallback_notice: Text
    """Shown on a page whose translation is missing; contains '{language}'."""
    not_found_title: Text
    not_found_text: Text
    home_link: Text


class TopicText(Strict):
    """A topic's name and short description in one language."""

    title: Text
    description: Text


class Topic(Strict):
    """A group of guides shown together in the navigation and on its own page."""

    id: Slug
    """The topic page's address: topics/<id>.html."""
    ro: TopicText
    pl: TopicText
    guides: Annotated[list[Slug], Field(min_length=1)]
    """The topic's guides in reading order; every guide belongs to exactly one topic."""


class ReadingPath(Strict):
    """A suggested order of guides for one reader goal."""

    title: Text
    text: Text
    guides: Annotated[list[Slug], Field(min_length=1)]


class Home(Strict):
    """The home page of one language."""

    title: Text
    description: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ]
    intro: Text
    reading_paths: list[ReadingPath] = []


class LanguageSite(Strict):
    """Everything site-wide in one language."""

    name: Text
    """The language's own name in the switcher, e.g. Română."""
    variant_name: Text
    """The diacritic-free version's name in the switcher."""
    site_name: Text
    site_description: Text
    min_grouping_digits: Annotated[int, Field(ge=1, le=4)]
    """CLDR numbers/minimumGroupingDigits of the locale (Babel does not apply it)."""
    labels: Labels
    home: Home


class SiteData(Strict):
    """The whole of data/site.yaml."""

    topics: Annotated[list[Topic], Field(min_length=1)]
    """The guides' topics, in navigation order."""
    redirects: dict[Slug, Slug] = {}
    """Old guide address -> current guide: the old page redirects in every version."""
    languages: dict[Lang, LanguageSite]

    @model_validator(mode="after")
    def _check_all_languages(self) -> SiteData:
        """Require every content language."""
        missing = [lang for lang in LANGS if lang not in self.languages]
        if missing:
            raise ValueError(f"missing languages: {', '.join(missing)}")
        return self


class GlossaryEntry(Strict):
    """A term readers meet, defined in every language."""

    term: Term | dict[Lang, Term]
    """The preferred spelling, explained wherever it appears on a page: one for every language
    (NPS) or one per language (program de loialitate / program lojalnościowy)."""
    aliases: dict[Lang, list[Term]] = {}
    """Other spellings of the term in one language, e.g. 'lojalność klientów'."""
    avoid: dict[Lang, list[Term]] = {}
    """Variants that must not appear in running text of one language: the `terminology` rule
    reports each with the preferred term."""
    expansion: Localized
    definition: Localized

    @model_validator(mode="after")
    def _check_term_languages(self) -> GlossaryEntry:
        """Require a per-language term in every language."""
        missing = [lang for lang in LANGS if isinstance(self.term, dict) and lang not in self.term]
        if missing:
            raise ValueError(f"term: missing languages: {', '.join(missing)}")
        return self

    def preferred(self, lang: str) -> str:
        """Return the term as written in one language's running text."""
        return self.term if isinstance(self.term, str) else self.term[lang]


class Glossary(Strict):
    """The whole of data/glossary.yaml."""

    terms: Annotated[list[GlossaryEntry], Field(min_length=1)]


Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=40)]
"""A computed value's name, as written in a placeholder: {average_order}."""


class Quantity(Strict):
    """A named number of data/calculations.yaml: an input per language, or a formula."""

    kind: Literal["percent", "count", "decimal", "currency", "duration"]
    """How the value is formatted; a percent is a fraction inside formulas (35 % -> 0.35)."""
    unit: DurationUnit | None = None
    ro: float | int | None = None
    """The Romanian example's input (amounts in the Romanian currency)."""
    pl: float | int | None = None
    formula: Annotated[str, StringConstraints(max_length=200)] | None = None
    """Arithmetic over other names: + - * / ( ) and numbers, e.g. average_order * margin."""
    digits: Annotated[int, Field(ge=0, le=4)] = 0
    """Decimal places shown (and rounded to before the value is used in text)."""

    @model_validator(mode="after")
    def _check_source(self) -> Quantity:
        """Require either an input in every language or a formula, not both."""
        inputs = [self.ro is not None, self.pl is not None]
        if self.formula is None and not all(inputs):
            raise ValueError("give the input for every language (ro: and pl:) or a formula")
        if self.formula is not None and any(inputs):
            raise ValueError("a value is either an input (ro:, pl:) or a formula, not both")
        if (self.kind == "duration") != (self.unit is not None):
            raise ValueError("'unit' goes with a duration, and only with a duration")
        return self


class Currencies(Strict):
    """The currency of the worked examples' amounts in every content language."""

    ro: CurrencyCode
    pl: CurrencyCode


class Calculations(Strict):
    """The whole of data/calculations.yaml: worked examples whose results the text quotes."""

    currency: Currencies
    """ISO 4217 currency of every amount, per language (RON on Romanian pages, PLN on Polish)."""
    values: dict[Name, Quantity]


@dataclass(frozen=True)
class Content:
    """Everything the renderer needs, validated and cross-checked."""

    site: SiteData
    kpi: dict[str, KpiTable]
    glossary: Glossary
    calculations: Calculations
    values: dict[str, dict[str, str]]
    """lang -> name -> computed value of data/calculations.yaml as the language writes it
    (CLDR, rounded to its digits): formatted once a build, for the pages and the navigation."""
    guides: dict[str, dict[str, Guide]]
    """slug -> language -> guide, sorted by slug."""
    sources: dict[tuple[str, str], str]
    """(language, slug) -> SHA-256 of the guide file's bytes: what a page rendered from it is
    kept under between runs (memo.py)."""
