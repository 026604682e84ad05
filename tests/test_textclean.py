from hypothesis import given
from hypothesis import strategies as st

from advisor.ingest.textclean import clean, find_running_lines, header_title, strip_running_lines


def test_ligatures_and_math_alphanumerics_are_normalized():
    assert clean("the ﬁrst ﬂow") == "the first flow"
    assert clean("𝑉1 + 𝑉2") == "V1 + V2"


def test_font_glyph_artifacts_of_math_pdfs_are_repaired():
    # TeX's epsilon extracted as "o with ogonek"; a symbol-font bullet extracted as "Ì"
    assert clean("for every ǫ > 0 there is δ") == "for every ϵ > 0 there is δ"
    assert clean("y(i) Ì Upper bound theorem - Let H be finite\nÌ Hoeffding inequality") == \
        "y(i) * Upper bound theorem - Let H be finite\n* Hoeffding inequality"
    assert clean("ÌSOLA and Ìndice") == "ÌSOLA and Ìndice"  # a letter inside a word stays


def test_hyphenation_across_line_breaks_is_joined_but_real_hyphens_kept():
    assert clean("general-\nization of Karush-\nKuhn") == "generalization of Karush-\nKuhn"


def test_running_headers_and_page_numbers_are_removed():
    pages = [["Section 2C Dimension 4%d" % i, f"body about {chr(97 + i)}", str(40 + i)] for i in range(8)]
    running = find_running_lines(pages)
    kept, removed = strip_running_lines(pages[3], running)
    assert kept == ["body about d"]
    assert removed == ["Section 2C Dimension 43"]


def test_lines_that_do_not_repeat_are_kept():
    pages = [[f"unique heading {chr(97 + i)}", f"more {chr(98 + i)} text"] for i in range(8)]
    assert find_running_lines(pages) == set()


def test_header_title_strips_page_numbers_and_softens_caps():
    assert header_title("2.1. SIMULATION OF CONTINUOUS PROBABILITIES 53") == "2.1. Simulation Of Continuous Probabilities"
    assert header_title("47") is None


@given(st.text(max_size=400))
def test_clean_is_idempotent_and_never_grows_whitespace_runs(text):
    once = clean(text)
    assert clean(once) == once
    assert "  " not in once
    assert "\n\n\n" not in once
