"""PDF loading on PDFs the tests make and on the real-world PDFs in ../shared/pdfs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kb.documents import load_document
from kb.errors import DocumentError

from .conftest import CORPUS, SHARED
from .pdf_factory import image_only_pdf, multipage_pdf, truncated_pdf, zero_page_pdf

REAL_PDFS = SHARED / "pdfs"


def test_multipage_pdf_gives_pages_and_bookmarked_sections(tmp_path: Path) -> None:
    doc = load_document(multipage_pdf(tmp_path / "report.pdf"))
    assert doc.title == "Kinship care report"
    assert [(b.page, b.section) for b in doc.blocks] == [(1, ("Introduction",)), (2, ("Findings",)), (3, ("Recommendations",))]
    assert "publish its kinship offer" in doc.blocks[2].text


def test_sidecar_metadata_wins_over_pdf_metadata(tmp_path: Path) -> None:
    pdf = multipage_pdf(tmp_path / "report.pdf")
    (tmp_path / "report.pdf.yaml").write_text("title: Kinship offer review\ndoc_type: journal\ndate: '2023-05'\n")
    doc = load_document(pdf)
    assert (doc.title, doc.doc_type, doc.date) == ("Kinship offer review", "journal", "2023-05")


def test_title_falls_back_to_file_name_without_metadata(tmp_path: Path) -> None:
    assert load_document(multipage_pdf(tmp_path / "kinship-review.pdf", title=None)).title == "Kinship review"


def test_encrypted_pdf_needs_the_password_from_its_sidecar(tmp_path: Path) -> None:
    pdf = multipage_pdf(tmp_path / "locked.pdf", encrypt="s3cret")
    with pytest.raises(DocumentError, match="encrypted with a password; put its password in locked.pdf.yaml"):
        load_document(pdf)
    (tmp_path / "locked.pdf.yaml").write_text("password: wrong\n")
    with pytest.raises(DocumentError, match="password in its sidecar is wrong"):
        load_document(pdf)
    (tmp_path / "locked.pdf.yaml").write_text("password: s3cret\n")
    assert len(load_document(pdf).blocks) == 3


def _written(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda d: truncated_pdf(d / "cut.pdf", d), "malformed or truncated"),
        (lambda d: zero_page_pdf(d / "none.pdf"), "zero pages"),
        (lambda d: image_only_pdf(d / "scan.pdf"), "no text layer"),
        (lambda d: _written(d / "notes.pdf", b"Minutes of the meeting, typed as plain text."), "not a PDF: it does not begin"),
    ],
)
def test_broken_pdfs_are_refused_with_the_reason(tmp_path: Path, make, reason: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DocumentError, match=reason):
        load_document(make(tmp_path))


# (file, password, expected): "ok:<text that must be extracted>" or "fail:<reason>".
REAL_WORLD = [
    ("01_report_multipage_geobase-nhn-data-model.pdf", None, "ok:National Hydro Network"),
    ("02_multicolumn_latex-two-column-lorem.pdf", None, "ok:fi"),
    ("03_multicolumn_federal-register-3col.pdf", None, "ok:Federal Register"),
    ("04_encrypted_rc4-128_pw-openpassword.pdf", None, "fail:encrypted with a password"),
    ("04_encrypted_rc4-128_pw-openpassword.pdf", "openpassword", "ok:"),
    ("05_encrypted_aes-256_pw-password.pdf", None, "fail:encrypted with a password"),
    ("05_encrypted_aes-256_pw-password.pdf", "password", "ok:crazy"),
    ("06_malformed_bad-startxref_issue-297.pdf", None, "ok:test example"),
    ("07_malformed_broken-pages-tree_unreadablemetadata.pdf", None, "fail:page tree cannot be read"),
    ("08_scanned_image-only_xerox-jbig2.pdf", None, "fail:no text layer"),
    ("09_fonts_japanese-vertical-cid-no-tounicode.pdf", None, "fail:not readable words"),
    ("10_fonts_arabic-multichar-tounicode.pdf", None, "ok:habibi"),
    ("11_outline_thesis-117p-geotopo.pdf", None, "ok:Topologie"),
    ("12_zero-pages_qpdf-empty.pdf", None, "fail:zero pages"),
]


@pytest.mark.parametrize(("name", "password", "expected"), REAL_WORLD)
def test_real_world_pdfs_get_the_right_outcome(tmp_path: Path, name: str, password: str | None, expected: str) -> None:
    pdf = Path(shutil.copy(REAL_PDFS / name, tmp_path / name))
    if password:
        (tmp_path / f"{name}.yaml").write_text(f"password: {password}\n")
    outcome, _, detail = expected.partition(":")
    if outcome == "fail":
        with pytest.raises(DocumentError, match=detail):
            load_document(pdf)
        return
    doc = load_document(pdf)
    text = " ".join(b.text for b in doc.blocks)
    assert detail.lower() in text.lower()
    assert all(b.page and b.page >= 1 for b in doc.blocks)


def test_outline_of_a_long_thesis_becomes_section_paths(tmp_path: Path) -> None:
    doc = load_document(REAL_PDFS / "11_outline_thesis-117p-geotopo.pdf")
    sections = {b.section for b in doc.blocks if b.section}
    assert len(sections) >= 10
    assert max(b.page or 0 for b in doc.blocks) > 100


def test_overview_pdf_in_the_corpus_cites_pages_and_sections() -> None:
    doc = load_document(CORPUS / "programme-overview.pdf")
    mi = [b for b in doc.blocks if "Motivational Interviewing" in b.text]
    assert mi and mi[0].page and mi[0].page > 1
    assert mi[0].section[-1] == "Family Safeguarding: Hertfordshire County Council"


def test_a_heading_wrapped_over_lines_is_one_section(tmp_path: Path) -> None:
    """Without bookmarks, a heading set over two lines ("2. How Ashcombe implemented the" / "model") names its
    section whole; its last line alone ("model") was the section of everything after it, titles included."""
    from fpdf import FPDF, XPos, YPos

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 24)
    pdf.multi_cell(120, 12, "Keeping families together in Ashcombe: Family Safeguarding three years on")
    body = "The council reorganised its child protection work into seven teams, each with adult specialists. " * 3
    for heading in ("2. How Ashcombe implemented the Family Safeguarding model", "3. Outcomes for children"):
        pdf.set_font("Helvetica", "B", 15)
        pdf.multi_cell(80, 8, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 10)
        pdf.multi_cell(0, 6, body, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    path = tmp_path / "briefing.pdf"
    pdf.output(str(path))
    document = load_document(path)
    sections = [b.section[-1] for b in document.blocks if b.section and "seven teams" in b.text]
    assert sections == ["2. How Ashcombe implemented the Family Safeguarding model", "3. Outcomes for children"]
    assert document.title == "Keeping families together in Ashcombe: Family Safeguarding three years on"


def test_a_journal_without_bookmarks_reads_like_a_document(tmp_path: Path) -> None:
    """Running head and 'Page n of m' gone, headings from type, title and date from the first page."""
    from .pdf_factory import journal_pdf

    document = load_document(journal_pdf(tmp_path / "issue-7.pdf"))
    text = "\n".join(b.text for b in document.blocks)
    assert "Strengthening Families Journal | Issue 7" not in text and "Page 1 of" not in text
    assert (document.title, document.date) == ("Strengthening Families Journal: Issue 7", "2024-09")
    sections = {" > ".join(b.section) for b in document.blocks}
    assert {"Kinship care in Marlow Vale", "Keeping teenagers close to home"} <= sections
    assert not any(s.startswith('"') for s in sections)  # a pull quote is a quotation, not a heading
    assert any("one trusted adult" in b.text for b in document.blocks)
    bare = load_document(journal_pdf(tmp_path / "issue-8.pdf", issue=8, columns=1, page_label="{n}"))
    assert not any(b.text.strip().isdigit() for b in bare.blocks)


def test_a_sidecar_still_wins_over_what_the_pdf_says(tmp_path: Path) -> None:
    from .pdf_factory import journal_pdf

    path = journal_pdf(tmp_path / "issue-7.pdf")
    (tmp_path / "issue-7.pdf.yaml").write_text("title: Issue 7\ndate: '2024-10'\ndoc_type: journal\n")
    document = load_document(path)
    assert (document.title, document.date, document.doc_type) == ("Issue 7", "2024-10", "journal")


# ---- a long report: what a reader quotes from it ------------------------------------------------


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The passages' paragraphs of a generated evaluation report, as the index cuts them."""
    from kb.chunking import chunk_document

    from .pdf_factory import report_pdf

    document = load_document(report_pdf(tmp_path_factory.mktemp("report") / "fenbridge-report.pdf"))
    return [paragraph for chunk in chunk_document(document) for paragraph in chunk.text.split("\n\n")]


def test_key_figures_are_quoted_with_their_labels(report: list[str]) -> None:
    for unit in ("Sample size: 51,000", "Local authorities: 5", "Estimated completion: October 2025"):
        assert unit in report


def test_a_table_row_reads_with_its_column_headers(report: list[str]) -> None:
    assert "Leeds — Year: 2017; Children on plans: 515" in report
    assert "Leeds — Year: 2011; Children on plans: 974" in report
    assert not any(p.startswith("Area") for p in report)  # the header row is no passage of its own


@pytest.fixture(scope="module")
def fact_sheet(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The blocks of a generated fact sheet: key-figure cards and a table drawn cell by cell."""
    from .pdf_factory import fact_sheet_pdf

    return [b.text for b in load_document(fact_sheet_pdf(tmp_path_factory.mktemp("sheet") / "sheet.pdf")).blocks]


def test_a_key_figure_card_reads_as_its_figure_and_its_wrapped_label(fact_sheet: list[str]) -> None:
    # The figure set large above its label, the label centred under it over two lines; "7" near the top of the
    # page is no page number.
    assert "7 adopting councils in the Marlow network" in fact_sheet
    assert "~30 young people per hub at any time" in fact_sheet
    assert not any(b in ("7", "Marlow network", "any time") for b in fact_sheet)


@pytest.mark.parametrize(
    ("file_name", "figure", "label"),
    [  # ranges, a ratio, an approximation, a label over lines: each card had stood as its figure and its label apart
        ("championing-kinship-care-strategy-briefing.pdf", "£154–£270",
         "weekly fostering allowance range per child, which the pilot allowance will match"),
        ("kinship-care-special-guardianship-evidence-note.pdf", "4% to 39%",
         "range in use of family and friends foster care between councils"),
        ("childrens-homes-ofsted-ratings-digest.pdf", "1 in 4", "homes located in the North West"),  # a ratio
        ("communication-matters-slcn-young-people-in-care-briefing.pdf", "c. 50%",
         "of No Wrong Door young people screened had SLCN"),
        # a label wrapped after a comma ("children's homes in England," over "31 March 2023")
        ("childrens-homes-ofsted-ratings-digest.pdf", "2,880", "children's homes in England, 31 March 2023"),
        ("keeping-practitioners-workforce-stability-evidence-review-2025.pdf", "33,119",
         "FTE permanent social workers, Sept 2023"),
    ],
)
def test_a_key_figure_card_of_the_library_reads_as_one_unit(file_name: str, figure: str, label: str) -> None:
    from kb.pdf import read_pdf

    blocks = [block.text for block in read_pdf(SHARED / "library" / "docs" / file_name).blocks]
    assert f"{figure} {label}" in blocks
    assert figure not in blocks and not any(block and label.startswith(block) for block in blocks)


def test_a_table_drawn_cell_by_cell_keeps_each_row_whole_with_its_labels(fact_sheet: list[str]) -> None:
    # Row one's cells wrap over different lines and its first column shows in no line with other cells; the header's
    # first cell wraps too ("Council and" / "service"), and is the label of no row's cell.
    assert (
        "Holmbury (innovator) — Model: No Wrong Door; Went live: 2016; Notes: Two eight-bed hubs; each with a police officer"
    ) in fact_sheet
    assert "Marlow Vale — Model: Family Valued; Went live: 1 May 2021; Notes: Coached by Holmbury" in fact_sheet
    assert not any(b.startswith(("Council and", "service", "Model")) for b in fact_sheet)


def test_a_sentence_wrapped_over_lines_stays_whole_and_unhyphenated(report: list[str]) -> None:
    from kb.chunking import split_sentences

    sentences = [s for p in report for s in split_sentences(p)]
    assert any("in Fenbridge on 2 June 2023 with a team of twelve practitioners" in s for s in sentences)
    assert any("offered every family a conference" in s for s in sentences)  # 'fam-' + 'ily'
    assert any("their own well-being improved" in s for s in sentences)  # 'well' is a word here: the hyphen is real
    assert not any("fam-" in s or "fam ily" in s for s in sentences)


def test_a_sentence_running_over_a_page_break_stays_whole_unless_the_page_opens_a_numbered_section(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    for body in (
        "An earlier estimate was based on an analysis of the 2011 census, which found",
        "180,000 children living with a relative. Most were cared for by grandparents.",
        "The review sets out what councils offer and",
        "2.1 Registration comes first for every new provider.",
    ):
        pdf.add_page()
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, body)
    path = tmp_path / "note.pdf"
    pdf.output(str(path))
    blocks = load_document(path).blocks
    texts = [b.text for b in blocks]
    assert "which found 180,000 children living with a relative. Most were cared for by grandparents." in texts[0]
    assert blocks[0].page == 1
    assert any(t.startswith("2.1 Registration") for t in texts)


def test_a_sentence_runs_over_a_page_break_past_a_footnote_or_a_key_figures_box(tmp_path: Path) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF()
    pages = [
        [(11, "In exit interviews held since 2019, the reason social workers most often gave for leaving"),
         (7, "1 Council self-evaluation, 2021, page 7. Regional comparisons use the published census figures.")],
        [(11, "was high caseloads and a lack of specialist help for parents.")],
        [(11, "Between February 2022 and September 2024 the eight Family Safeguarding teams worked with")],
        [(11, "Key figures"), (11, "318: staff trained in motivational interviewing"),
         (11, "1,240 families, including 2,615 children, most with a parent in need of help.")],
    ]  # fmt: skip
    for lines in pages:
        pdf.add_page()
        for size, text in lines:
            pdf.set_font("Helvetica", "", size)
            pdf.multi_cell(0, 8, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    path = tmp_path / "evaluation.pdf"
    pdf.output(str(path))
    texts = [b.text for b in load_document(path).blocks]
    assert any(t.endswith("gave for leaving was high caseloads and a lack of specialist help for parents.") for t in texts)
    mended = "worked with 1,240 families, including 2,615 children, most with a parent in need of help."
    assert any(t.endswith(mended) for t in texts)
    assert "318: staff trained in motivational interviewing" in texts  # a key figure is no sentence's end


def test_a_charts_ticks_and_bar_labels_are_no_passages(tmp_path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 9)
    for x, y, text in ((20, 40, "150"), (20, 60, "100"), (20, 80, "50"), (20, 100, "0"), (50, 50, "143"), (50, 105, "2024-25")):
        pdf.set_xy(x, y)
        pdf.cell(20, 4, text)
    pdf.set_xy(20, 120)
    pdf.cell(0, 4, "Figure 1. Young people supported by the hub, by financial year.")
    path = tmp_path / "slides.pdf"
    pdf.output(str(path))
    texts = [b.text for b in load_document(path).blocks]
    assert "Figure 1. Young people supported by the hub, by financial year." in texts
    assert not any(t in ("150", "100", "50", "0", "143") for t in texts)


def test_a_table_drawn_cell_by_cell_with_a_header_cell_apart_reads_every_row_under_its_headers(tmp_path: Path) -> None:
    """As a research briefing draws it: "Measure  2020-21", the wrapped "(baseline)", then "2023-24" on the header's
    line; each row's wrapped label before its figures."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(20, 20)
    pdf.multi_cell(170, 5, "Table 1 compares the year before the model with its third year.")
    pdf.set_font("Helvetica", "B", 8)
    for x, y, text in ((20, 40, "Measure"), (90, 40, "2020-21"), (90, 44, "(baseline)"), (130, 40, "2023-24")):
        pdf.set_xy(x, y)
        pdf.cell(30, 4, text)
    pdf.set_font("Helvetica", "", 8)
    rows = [(("Children looked after (rate per", "10,000)"), "74.0", "66.3"), (("Repeat child protection plans",), "22%", "23%")]
    for n, (label, before, after) in enumerate(rows):
        y = 52 + n * 12
        for k, part in enumerate(label):
            pdf.set_xy(20, y + 4 * k)
            pdf.cell(60, 4, part)
        pdf.set_xy(90, y)
        pdf.cell(30, 4, before)
        pdf.set_xy(130, y)
        pdf.cell(30, 4, after)
    path = tmp_path / "briefing.pdf"
    pdf.output(str(path))
    texts = [b.text for b in load_document(path).blocks]
    assert "Children looked after (rate per 10,000) — 2020-21 (baseline): 74.0; 2023-24: 66.3" in texts
    assert "Repeat child protection plans — 2020-21 (baseline): 22%; 2023-24: 23%" in texts


def test_two_columns_are_read_one_after_the_other(report: list[str]) -> None:
    assert (
        "Coordinators met each family twice before the conference. They said the second visit mattered most, because "
        "relatives who had stayed away at first often came back to the family once they knew what the plan would ask of them."
    ) in report
    assert any(p.startswith("Managers counted every conference") for p in report)


def test_contents_running_heads_and_page_numbers_are_no_passages(report: list[str]) -> None:
    text = "\n".join(report)
    assert "....." not in text and "Contents" not in text
    assert "Fenbridge Family Valued evaluation | Final report" not in text and "Page 3 of" not in text


def test_line_end_hyphens_follow_the_documents_own_words() -> None:
    from kb.pdf_layout import join_line_text, vocabulary

    vocab = vocabulary(["the family met", "a two-day course", "as well as being there", "train-the-trainer"])
    assert join_line_text("every fam-", "ily met", vocab) == "every family met"
    assert join_line_text("a well-", "being plan", vocab) == "a well-being plan"
    assert join_line_text("a two-", "day course", vocab) == "a two-day course"
    assert join_line_text("offered every", "family", vocab) == "offered every family"


# ---- the library's own PDFs ---------------------------------------------------------------------

LIBRARY = SHARED / "library"


@pytest.mark.slow
@pytest.mark.skipif(not (LIBRARY / "questions.jsonl").exists(), reason="needs ../shared/library")
def test_library_answers_stay_quotable() -> None:
    """Each PDF question's answer phrase is in one passage, and mostly in one short sentence (bench/pdf_library.py)."""
    from bench.pdf_library import check_library

    checks = check_library(LIBRARY)
    assert sum(c.in_passage for c in checks) / len(checks) >= 0.98  # 153/153 when this was written
    assert sum(c.in_tight_quote for c in checks) / len(checks) >= 0.85  # 135/153 (80.4% before tables were read)


def test_a_first_rows_label_drawn_before_its_figures_stays_its_first_cell() -> None:
    """The layout of the library's trial briefing: the header's cells run together, the first row's label wraps and
    is drawn before that row's figures, the rows after it are drawn whole."""
    from kb.pdf_layout import Line, tables

    def line(order: int, x: float, y: float, text: str, *cells: tuple[float, str], bold: bool = False) -> Line:
        return Line(x, y, 9.0, bold, text, order, starts=[c[0] for c in cells] or [x], parts=[c[1] for c in cells])

    figures = {1: ("36.2%", "44.8%", "8.6 points lower"), 2: ("59.2%", "71.7%", "12.5 points"), 3: ("87", "115", "28 fewer")}
    columns = (273, 355, 417)
    lines = [
        line(0, 68, 230, "Outcome Referred Difference", (68, "Outcome Referred"), (417, "Difference"), bold=True),
        line(1, 68, 202, "Looked after 12 months after"),
        line(2, 68, 190, "the letter"),
        line(3, 273, 202, " ".join(figures[1]), *zip(columns, figures[1], strict=True)),
        line(4, 68, 168, "Care proceedings", (68, "Care proceedings"), *zip(columns, figures[2], strict=True)),
        line(5, 68, 135, "Average days in care", (68, "Average days in care"), *zip(columns, figures[3], strict=True)),
    ]
    rows = [row.text for row in tables(lines, lambda: "")]
    assert "Looked after 12 months after the letter — 36.2%; 44.8%; 8.6 points lower" in rows
    assert "Care proceedings — 59.2%; 71.7%; 12.5 points" in rows
    assert not any(text in ("Looked after 12 months after", "the letter") for text in rows)


def test_a_bullet_drawn_on_its_items_baseline_marks_an_item_not_a_table_row() -> None:
    """A list whose bullets are drawn as their own pieces, a gap before each item's text on the same baseline (as
    reportlab and some word processors draw them): the items stay whole list items, the first one included, where they
    were read as a two-column table whose first row was taken for its header and lost."""
    from kb.pdf_layout import Line, arrange_page, attach_markers, is_bullet

    items = [
        "The timeliness and quality of return home interviews.",
        "Access to the hub's outreach service.",
        "The stability of placements for children aged under 12.",
    ]
    lines = [
        Line(68.4, 493 - 20 * i, 10.0, False, f"\x7f {text}", i, starts=[68.4, 85.4], parts=["\x7f", text])
        for i, text in enumerate(items)
    ]
    read = arrange_page(lines, lambda: "")
    assert [(line.text, line.marker) for line in read] == [(text, "") for text in items]
    assert [line.x for line in read] == [85.4] * 3
    # A number before two cells or more is a table's first column, not a list's numbering.
    numbered_row = Line(68.4, 300, 10.0, False, "1. Draft the plan Business manager", 9, [68.4, 85.4, 300.0])
    numbered_row.parts = ["1.", "Draft the plan", "Business manager"]
    [kept] = attach_markers([numbered_row])
    assert kept.marker is None and kept.parts == ["1.", "Draft the plan", "Business manager"]
    # Glyphs a font maps to no letter are bullets: a control character, Symbol's private-use bullet, a square.
    assert all(is_bullet(glyph) for glyph in ("\x7f", "\uf0b7", "\u25a0", "\u2022", "-"))
    assert not any(is_bullet(glyph) for glyph in ("a", "1", "£", "Family"))


def test_the_text_after_a_table_at_the_margin_is_not_taken_into_its_first_column() -> None:
    """A key-figures box in a column of a research briefing: the column's next paragraph starts where the box's labels
    start, a line below. It stays text (its headings headings, its hyphens undone), not a wrapped cell of the box."""
    from kb.pdf_layout import Line, tables

    def line(order: int, y: float, *cells: tuple[float, str]) -> Line:
        text = " ".join(c[1] for c in cells)
        starts, parts = ([c[0] for c in cells], [c[1] for c in cells]) if len(cells) > 1 else ([cells[0][0]], [])
        return Line(cells[0][0], y, 9.6, False, text, order, starts=starts, parts=parts)

    body = [
        "Parents' accounts were largely positive. Of the 22 parents",
        "we interviewed, 17 described their social worker as honest",
        "with them about the council's worries.",
    ]
    lines = [
        line(0, 732, (57.0, "Families worked with since launch"), (203.8, "1,940")),
        line(1, 709, (57.0, "Adult practitioners in the teams"), (203.8, "21")),
        *(line(2 + i, 690 - 12.4 * i, (57.0, text)) for i, text in enumerate(body)),
    ]
    read = tables(lines, lambda: "")
    rows = ["Families worked with since launch: 1,940", "Adult practitioners in the teams: 21"]
    assert [row.text for row in read if row.row] == rows
    assert [text.text for text in read if not text.row] == body


def test_footnote_numbers_are_neither_quoted_nor_passages() -> None:
    """A research briefing's notes: the number raised after a quotation, which pypdf gives the line's own start and
    baseline, and the number that opens each note at the foot of the page. Both had stood as passages of their own
    ("3") or inside sentences; a small figure within a formula or a subscript stays."""
    from kb.pdf import read_pdf
    from kb.pdf_layout import Piece, merge_lines

    pieces = [
        Piece(57.0, 372.9, 9.6, False, "ers and then stretched them the thinnest.'"),
        Piece(57.0, 372.9, 7.7, False, "3"),
        Piece(57.0, 355.5, 9.6, False, "Staff also reported that the motivational interviewing"),
        Piece(51.0, 120.2, 5.9, False, "1"),
        Piece(51.0, 120.2, 7.4, False, "Ashcombe Borough Council, Children's Services Improvement Plan"),
        Piece(57.0, 300.0, 9.6, False, "Sei I S ∈ R ×"),
        Piece(120.0, 300.0, 6.0, False, "2"),
        Piece(130.0, 300.0, 9.6, False, "definiert als"),
        Piece(57.0, 280.0, 9.6, False, "Seien X"),
        Piece(80.0, 277.5, 6.0, False, "1"),
    ]
    texts = [line.text for line in merge_lines(pieces)]
    assert texts[:3] == [
        "ers and then stretched them the thinnest.'",
        "Staff also reported that the motivational interviewing",
        "Ashcombe Borough Council, Children's Services Improvement Plan",
    ]
    assert "Sei I S ∈ R × 2 definiert als" in texts  # within a formula: kept
    assert "Seien X 1" in texts  # lowered under its line: a subscript, kept

    read = read_pdf(Path(__file__).parents[1] / "eval" / "other_formats" / "ashcombe-family-safeguarding-research-briefing.pdf")
    assert not [block.text for block in read.blocks if block.text.strip().isdigit()]
