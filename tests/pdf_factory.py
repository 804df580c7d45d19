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
