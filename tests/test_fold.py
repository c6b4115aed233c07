"""Folding removes exactly the Romanian and Polish diacritics and nothing else."""

from __future__ import annotations

import unicodedata

from guidegen.fold import FOLD_PL, FOLD_RO, fold, slugify
from guidegen.variants import fold_markdown


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


def test_links_are_never_folded() -> None:
    text = '[Țară](https://ro.example/țară) <a href="/ș/">ș</a> <https://pl.example/łódź>'
    assert fold_markdown(text) == (
        '[Tara](https://ro.example/țară) <a href="/ș/">s</a> <https://pl.example/łódź>'
    )


def test_slugs_are_readable_and_equal_on_page_and_variant() -> None:
    assert slugify("Źródło problemów") == "zrodlo-problemow"
    assert slugify(fold("Źródło problemów")) == slugify("Źródło problemów")
    assert slugify("Ce înseamnă „NPS”?") == "ce-inseamna-nps"
