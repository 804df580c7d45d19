"""PDFs the tests make themselves: several pages with bookmarks, encrypted, truncated, empty, image-only."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pypdf import PdfWriter

PAGES = [
    ("Introduction", "Kinship carers look after children when parents cannot. This report explains the support they receive."),
    ("Findings", "Carers valued practical help with housing. They asked for clearer information about allowances."),
    ("Recommendations", "Every council should publish its kinship offer. Social workers should explain it at the first visit."),
]


def multipage_pdf(path: Path, *, title: str | None = "Kinship care report", encrypt: str | None = None) -> Path:
    """One bookmarked section per page."""
    pdf = FPDF()
    if title:
        pdf.set_title(title)
    for heading, body in PAGES:
        pdf.add_page()
        pdf.set_font("Helvetica", "", 16)
        pdf.start_section(heading)
        pdf.multi_cell(0, 10, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(0, 6, body, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    if encrypt:
        from fpdf.enums import EncryptionMethod

        pdf.set_encryption(owner_password="owner-" + encrypt, user_password=encrypt, encryption_method=EncryptionMethod.AES_256)
    pdf.output(str(path))
    return path


def truncated_pdf(path: Path, tmp: Path) -> Path:
    """The first 40% of a valid PDF."""
    whole = multipage_pdf(tmp / "whole.pdf").read_bytes()
    path.write_bytes(whole[: int(len(whole) * 0.4)])
    return path


def zero_page_pdf(path: Path) -> Path:
    writer = PdfWriter()
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


def image_only_pdf(path: Path) -> Path:
    """A page with only drawn shapes: what a scan without OCR looks like to a text extractor."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_fill_color(40, 40, 40)
    for row in range(20):
        pdf.rect(20, 20 + row * 10, 170 - row * 3, 4, style="F")
    pdf.output(str(path))
    return path


JOURNAL_ARTICLES = [
    (
        "Kinship care in Marlow Vale",
        "Marlow Vale began its kinship offer in 2022 after carers said support came too late. "
        "Each family now meets a named social worker within ten working days of a child moving in. "
        "Carers receive a weekly allowance, reviewed every April, and can join a monthly peer group. "
        "The council trained forty practitioners in family group conferencing during the first year.",
        "We stopped waiting for families to reach crisis before we offered help.",
    ),
    (
        "Keeping teenagers close to home",
        "The Eastmoor hub works with young people aged twelve to eighteen on the edge of care. "
        "A key worker stays with each young person whether they live at home, in foster care or at the hub. "
        "Police and health staff sit in the same team, so a young person tells their story only once. "
        "Over two years the number of teenagers entering care in Eastmoor fell by a fifth.",
        "Young people told us they wanted one trusted adult, not a new worker every month.",
    ),
    (
        "Learning from adult mental health workers",
        "Adult mental health practitioners joined children's teams in Hollinsford in 2023. "
        "They see parents at home with the social worker instead of referring them to a clinic. "
        "Waiting times for a first appointment fell from eleven weeks to nine days. "
        "Supervision is held jointly, so both professions hear the same account of the family.",
        "Parents find it easier to talk when the worker comes to them.",
    ),
]


def journal_pdf(
    path: Path,
    *,
    issue: int = 7,
    month: str = "September 2024",
    columns: int = 2,
    page_label: str = "Page {n} of {nb}",
    repeats: int = 2,
) -> Path:
    """A journal issue as councils publish them: no bookmarks, a running head and foot on every page, a big
    title on the first page, bold headings, body text in `columns` columns and pull quotes in larger italics."""
    running_head = f"Strengthening Families Journal | Issue {issue} | {month}"

    class Journal(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "", 8)
            self.cell(0, 6, running_head, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(2)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("Helvetica", "", 8)
            self.cell(0, 6, page_label.format(n=self.page_no(), nb="{nb}"), align="C")

    pdf = Journal()
    pdf.alias_nb_pages()
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 24)
    pdf.multi_cell(0, 12, f"Strengthening Families Journal: Issue {issue}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, f"Published {month}", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for _ in range(repeats):
        for heading, body, quote in JOURNAL_ARTICLES:
            pdf.ln(4)
            pdf.set_font("Helvetica", "B", 15)
            pdf.multi_cell(0, 8, heading, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_font("Helvetica", "", 10)
            with pdf.text_columns(ncols=columns, gutter=8) as cols:
                for sentence_group in (body, body):
                    cols.write(sentence_group + "\n\n")
            pdf.set_font("Helvetica", "I", 14)
            pdf.multi_cell(0, 8, f'"{quote}"', new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.output(str(path))
    return path


REPORT_HEAD = "Fenbridge Family Valued evaluation | Final report"
WRAPPED = [  # lines as the report breaks them: a date over a line end, a split word, a real hyphenated one
    "Fenbridge started its Family Valued service in Fenbridge on 2 June",
    "2023 with a team of twelve practitioners, who offered every fam-",
    "ily a conference as well as advice while plans were being made. Staff told the",
    "evaluators that their own well-",
    "being improved as caseloads fell, and that each family meeting was",
    "held in the family's home.",
]
KEY_FIGURES = [("Sample size", "51,000"), ("Local authorities", "5"), ("Estimated completion", "October 2025")]
TABLE = [("Area", "Year", "Children on plans"), ("Leeds", "2011", "974"), ("Leeds", "2017", "515")]
LEFT_COLUMN = [
    "Coordinators met each family twice before",
    "the conference. They said the second visit",
    "mattered most, because relatives who had",
    "stayed away at first often came back to",
]
RIGHT_COLUMN = [
    "the family once they knew what the plan",
    "would ask of them.",
    "Managers counted every conference held in",
    "the first year and shared the figures monthly.",
]


def report_pdf(path: Path) -> Path:
    """An evaluation report as councils publish them: no bookmarks, a contents page with dotted leaders, a
    running head and 'Page n of m' on every page, a key-figure box beside wrapped text (a date over a line
    end, a word hyphenated at a line end), a table with column headers and a two-column page."""

    class Report(FPDF):
        def header(self) -> None:
            self.set_font("Helvetica", "", 8)
            self.set_xy(20, 8)
            self.cell(0, 5, REPORT_HEAD)

        def footer(self) -> None:
            self.set_font("Helvetica", "", 8)
            self.set_xy(20, -12)
            self.cell(0, 5, f"Page {self.page_no()} of {{nb}}")

        def titled_page(self, title: str, size: int = 15) -> None:
            """A new page opening with its bold title, the body font set after it."""
            self.add_page()
            self.set_font("Helvetica", "B", size)
            self.set_xy(20, 25)
            self.cell(0, 8, title)
            self.set_font("Helvetica", "", 10)

    pdf = Report()
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 24)
    pdf.set_xy(20, 40)
    pdf.multi_cell(170, 12, "Family Valued in Fenbridge: final evaluation report")
    pdf.set_font("Helvetica", "", 11)
    pdf.set_xy(20, 80)
    pdf.cell(0, 6, "Published June 2024")

    pdf.titled_page("Contents", 16)
    for i, (entry, page) in enumerate([("Summary", 3), ("Key figures", 3), ("Plans over time", 3), ("Practice", 4)]):
        pdf.set_xy(20, 40 + i * 7)
        pdf.cell(0, 6, f"{i + 1}. {entry} " + "." * (80 - 2 * len(entry)) + f" {page}")

    pdf.titled_page("Summary")
    for i, line in enumerate(WRAPPED):
        pdf.set_xy(20, 40 + i * 5.5)
        pdf.cell(110, 5, line)
    for i, (label, value) in enumerate(KEY_FIGURES):
        pdf.set_xy(145, 40 + i * 16)
        pdf.set_font("Helvetica", "", 8)
        pdf.cell(45, 4, label)
        pdf.set_xy(145, 45 + i * 16)
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(45, 8, value)
    pdf.set_font("Helvetica", "B", 15)
    pdf.set_xy(20, 100)
    pdf.cell(0, 8, "Plans over time")
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(20, 112)
    with pdf.table(width=120, align="LEFT", first_row_as_headings=True) as table:
        for row in TABLE:
            cells = table.row()
            for cell in row:
                cells.cell(cell)

    pdf.titled_page("Practice")
    for x, column in ((20, LEFT_COLUMN), (110, RIGHT_COLUMN)):
        for i, line in enumerate(column):
            pdf.set_xy(x, 40 + i * 5.5)
            pdf.cell(85, 5, line)
    pdf.output(str(path))
    return path


CARDS = [("7", "adopting councils in the"), ("~30", "young people per hub at"), ("12-19", "age range in Holmbury")]
CARD_SECOND_LINES = ["Marlow network", "any time", "pilot"]
SHEET_HEADER = [("Council and", "service"), ("Model", ""), ("Went live", ""), ("Notes", "")]
SHEET_ROWS = [
    (("Holmbury", "(innovator)"), ("No Wrong", "Door"), ("2016",), ("Two eight-bed hubs;", "each with a police", "officer")),
    (("Marlow Vale",), ("Family Valued",), ("1 May 2021",), ("Coached by Holmbury",)),
]


def fact_sheet_pdf(path: Path) -> Path:
    """A landscape fact sheet: key-figure cards (a large figure above a small label centred under it, wrapped) and a
    table drawn cell by cell (each cell's lines one after another), so a row's cells wrap over different lines."""
    pdf = FPDF(orientation="L")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.set_xy(20, 15)
    pdf.cell(0, 10, "Holmbury adopters at a glance")
    for i, ((figure, label), more) in enumerate(zip(CARDS, CARD_SECOND_LINES, strict=True)):
        x = 20 + i * 85
        pdf.set_font("Helvetica", "B", 17)
        pdf.set_xy(x, 35)
        pdf.cell(60, 8, figure, align="C")
        pdf.set_font("Helvetica", "", 8)
        for j, text in enumerate((label, more)):
            pdf.set_xy(x, 45 + j * 5)
            pdf.cell(60, 4, text, align="C")
    columns = [20, 75, 130, 170]

    def draw_row(cells: tuple[tuple[str, ...], ...], y: float, style: str) -> None:
        pdf.set_font("Helvetica", style, 9)
        for x, lines in zip(columns, cells, strict=True):
            for j, text in enumerate(line for line in lines if line):
                pdf.set_xy(x, y + j * 4.5)
                pdf.cell(50, 4, text)

    draw_row(tuple((a, b) for a, b in SHEET_HEADER), 70, "B")
    for i, row in enumerate(SHEET_ROWS):
        draw_row(row, 85 + i * 20, "")
    pdf.set_font("Helvetica", "", 10)
    pdf.set_xy(20, 140)
    pdf.multi_cell(200, 5, "Every adopter kept the core of the model: a hub, a key worker and embedded specialists.")
    pdf.output(str(path))
    return path
