"""Folding removes exactly the Romanian and Polish diacritics and nothing else."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from guidegen.fold import FOLD_PL, FOLD_RO, fold, slugify
from guidegen.variants import variant_html


def test_every_table_letter_folds_to_an_ascii_letter_of_the_same_case() -> None:
    for letter, base in {**FOLD_RO, **FOLD_PL}.items():
        assert fold(letter) == base
        assert base.isascii() and base.isalpha()
        assert letter.isupper() == base.isupper()


def test_tables_cover_both_alphabets_in_both_cases() -> None:
    for letters in ("ăâîșțşţ", "ąćęłńóśźż"):
        for letter in letters + letters.upper():
            assert fold(letter) != letter


def test_polish_l_with_stroke_folds_although_unicode_does_not_decompose_it() -> None:
    assert unicodedata.normalize("NFD", "ł") == "ł"
    assert fold("Łódź, źródło, wpływ") == "Lodz, zrodlo, wplyw"


def test_everything_else_is_kept() -> None:
    text = "„Clienți” 🚀 €540 12,5% café ß ÿ 😊"
    assert fold(text) == "„Clienti” 🚀 €540 12,5% café ß ÿ 😊"


def test_variant_html_folds_text_but_never_link_targets() -> None:
    html = '<p title="Țară">Țară <a href="https://ro.example/țară?q=ł#ș">ș</a></p>'
    folded = variant_html(html, "pl/guides/x.html")
    href = re.search(r'href="([^"]*)"', folded)[1]
    assert unquote(href) == "https://ro.example/țară?q=ł#ș"
    assert folded == f'<p title="Tara">Tara <a href="{href}">s</a></p>'


def test_variant_links_move_into_the_variant_folder() -> None:
    html = (
        '<a href="b.html#s">b</a> <link href="../assets/x.css">'
        ' <a data-gg-version="ro" href="a.html">ro</a>'
        ' <a data-gg-version="ro-Latn" href="../ro-Latn/guides/a.html">ro-Latn</a>'
        ' <a href="../pl/guides/a.html">pl</a>'
        ' <script id="__config" type="application/json">{"base": ".."}</script>'
    )
    assert variant_html(html, "guides/a.html") == (
        '<a href="b.html#s">b</a> <link href="../../assets/x.css">'
        ' <a data-gg-version="ro" href="../../guides/a.html">ro</a>'
        ' <a data-gg-version="ro-Latn" aria-current="page" href="a.html">ro-Latn</a>'
        ' <a href="../../pl/guides/a.html">pl</a>'
        ' <script id="__config" type="application/json">'
        '{"base": "../..", "translations": null}</script>'
    )


def test_slugs_are_readable_and_equal_on_page_and_variant() -> None:
    assert slugify("Źródło problemów") == "zrodlo-problemow"
    assert slugify(fold("Źródło problemów")) == slugify("Źródło problemów")
    assert slugify("Ce înseamnă „NPS”?") == "ce-inseamna-nps"
