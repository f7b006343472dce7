"""Same-length truecasing for ALL-CAPS and lower-cased text."""

from __future__ import annotations

from conflictlens.extraction.truecase import needs_truecasing, truecase

CAPS = "PESHAWAR, Pakistan -- TALIBAN GUNMEN STORMED AN ARMY-RUN SCHOOL IN PESHAWAR ON TUESDAY. THE U.S. CONDEMNED IT."


def test_detects_missing_case():
    assert needs_truecasing(CAPS) == "upper"
    assert needs_truecasing(CAPS.lower()) == "lower"
    assert needs_truecasing("Gunmen stormed a school in Peshawar on Tuesday.") is None


def test_same_length_and_same_letters():
    for text in (CAPS, CAPS.lower()):
        out = truecase(text)
        assert len(out) == len(text)
        assert out.lower() == text.lower()


def test_names_and_sentence_starts_are_capitalised():
    out = truecase("gunmen stormed a school in peshawar on tuesday. the taliban said the fmln was not involved.")
    assert out.startswith("Gunmen stormed a school in Peshawar on Tuesday. The Taliban")
    assert "FMLN" in out


def test_caps_headline_line_in_cased_text():
    text = "TALIBAN ATTACK SCHOOL IN PESHAWAR\nGunmen stormed a school on Tuesday."
    out = truecase(text)
    assert out.splitlines()[1] == "Gunmen stormed a school on Tuesday."
    assert out.splitlines()[0] == "Taliban attack school in Peshawar"


def test_cased_text_is_untouched():
    text = "Gunmen stormed a school in Peshawar on Tuesday, the BBC said."
    assert truecase(text) is text or truecase(text) == text


def test_a_dictionary_word_beside_a_name_is_part_of_the_name():
    # WordNet lists "galan", "vargas", "leon" as words; beside a name they are surnames
    out = truecase("THE MURDERED DIPLOMAT, JORGE ADOLFO VARGAS GONZALEZ, WAS BURIED. "
                   "PRESIDENTIAL CANDIDATE LUIS CARLOS GALAN WAS KILLED IN SOACHA.")
    assert "Jorge Adolfo Vargas Gonzalez" in out
    assert "Luis Carlos Galan was killed" in out  # "was" and "killed" are written lower case in news


def test_words_seen_lower_case_in_news_stay_lower_beside_a_name():
    out = truecase("GUNMEN SHOT CARLOS MENDOZA OUTSIDE HIS HOME, POLICE SAID.")
    assert "shot Carlos Mendoza outside his home, police said" in out
