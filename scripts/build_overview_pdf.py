"""Rebuild corpus/programme-overview.pdf from scripts/programme-overview.md (dev tool, needs fpdf2).

The PDF is committed and is what `kb ingest` indexes; this script only exists so the PDF can be
regenerated reproducibly. Headings become PDF bookmarks (the outline), which the loader uses for
section paths, and each top-level heading starts a new page so the corpus exercises page citations.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "scripts" / "programme-overview.md"
TARGET = ROOT / "corpus" / "programme-overview.pdf"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
HEADING_SIZES = {1: 18, 2: 14, 3: 12}
BODY_SIZE = 10.5


def build(source: Path = SOURCE, target: Path = TARGET) -> None:
    """Render the Markdown subset used by the overview (headings, paragraphs, lists) to PDF."""
    pdf = FPDF(format="A4")
    pdf.set_creation_date(datetime(2022, 6, 1, tzinfo=UTC))  # fixed: reproducible bytes
    pdf.set_title("Pre-reading material - Programme Overview")
    pdf.set_author("Strengthening Families, Protecting Children (SFPC)")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    first_h1 = True
    for block in source.read_text(encoding="utf-8").split("\n\n"):
        block = block.strip()
        if not block:
            continue
        if block.startswith("#"):
            hashes, _, text = block.partition(" ")
            level = len(hashes)
            if level == 1 and not first_h1:
                pdf.add_page()
            first_h1 = False
            pdf.ln(3)
            pdf.set_font("DejaVu", "B", HEADING_SIZES[level])
            pdf.start_section(text, level=level - 1)
            pdf.multi_cell(0, HEADING_SIZES[level] * 0.55, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(2)
            continue
        pdf.set_font("DejaVu", "", BODY_SIZE)
        text = block[2:] if block.startswith("- ") else block
        indent = 6 if block.startswith("- ") else 0
        if indent:
            pdf.set_x(pdf.l_margin + indent)
            text = "\u2022 " + text
        pdf.multi_cell(0, 5.2, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(2.5)
    pdf.output(str(target))


if __name__ == "__main__":
    build()
    print(f"wrote {TARGET.relative_to(ROOT)}", file=sys.stderr)
