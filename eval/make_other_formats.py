"""Build the five "other publisher" evaluation documents in eval/other_formats (fictional councils, people, figures).

Run it with a throwaway virtual environment, never the project's:

    python3 -m venv /tmp/gen && /tmp/gen/bin/pip install reportlab python-docx pyphen
    /tmp/gen/bin/python eval/make_other_formats.py        # from the project root

(pyphen is optional: with it, the research briefing's justified columns get line-end hyphenation.)

Writes:
  ashcombe-family-safeguarding-research-briefing.pdf    two-column research briefing (Family Safeguarding)
  brindleford-childrens-services-inspection.pdf          inspection report, numbered paragraphs (No Wrong Door)
  carrow-vale-family-valued-learning-event-slides.pdf    landscape slide-deck export (Family Valued)
  dunmere-cabinet-report-family-valued-rollout.docx      cabinet paper with cover table and budget (Family Valued)
  kelsworth-fgc-kinship-practice-guidance.docx           practice guidance note with steps and contacts table
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

OUT = Path(__file__).resolve().parent / "other_formats"

try:  # line-end hyphenation in the justified columns
    import pyphen  # noqa: F401

    HYPHEN_LANG = "en_GB"
except ImportError:  # pragma: no cover
    HYPHEN_LANG = None


# ---------------------------------------------------------------------------------------------------------------
# 1. Two-column research briefing (Family Safeguarding adopter)
# ---------------------------------------------------------------------------------------------------------------

BRIEF_TITLE = "Keeping families together in Ashcombe: Family Safeguarding three years on"
BRIEF_HEAD = "Research Briefing 14  |  Family Safeguarding in Ashcombe"
BRIEF_FOOT = "Tollbridge Centre for Family Research, University of Halbury"

FOOTNOTES = {
    1: "Ashcombe Borough Council, <i>Children's Services Improvement Plan 2021-2024</i>, presented to the council's "
    "Children and Young People Scrutiny Committee in July 2021.",
    2: "Rates are per 10,000 children aged under 18, calculated using ONS mid-year population estimates for 2021 "
    "and 2023.",
    3: "Two managers asked that their job titles not be given; they are quoted as 'manager'.",
    4: "Avoided costs were estimated with the Centre's unit-cost model, using 2023-24 placement prices supplied by "
    "the council's commissioning team.",
}

BRIEF_SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Summary",
        [
            "Ashcombe Borough Council began implementing Family Safeguarding in September 2021, one of the councils "
            "supported through the Department for Education's Strengthening Families, Protecting Children programme "
            "to adopt the model first developed in Hertfordshire. This briefing reports the findings of a three-year "
            "mixed-methods study carried out by the Tollbridge Centre for Family Research between October 2021 and "
            "September 2024.",
            "We drew on the council's performance data, an audit of 120 children's case files, two staff surveys and "
            "interviews with 36 practitioners, 9 managers and 22 parents. Overall, the evidence points to fewer "
            "children on child protection plans, a more stable workforce and families who feel better understood, "
            "although some of the early gains have levelled off and the adult specialists are now stretched.",
        ],
    ),
    (
        "1. Background",
        [
            "Before 2021 Ashcombe's child protection work was carried out by single-discipline social work teams. "
            "Referrals to adult mental health, substance misuse and domestic abuse services were made by letter, "
            "and parents often waited months for an appointment while their children remained on a plan. The "
            "council's improvement plan named the 'toxic trio' of parental mental ill health, substance misuse and "
            "domestic abuse as present in more than two thirds of its child protection cases.<super>1</super>",
            "Family Safeguarding offered a different arrangement: multi-disciplinary teams in which adult "
            "practitioners work alongside social workers, a shared motivational interviewing approach, group case "
            "supervision and an electronic workbook that replaces much of the traditional assessment paperwork. "
            "Ashcombe's leaders were attracted in particular by the evidence that the model reduces the number of "
            "children who need to come into care.",
        ],
    ),
    (
        "2. How Ashcombe implemented the model",
        [
            "The council reorganised its child protection and court work into seven Family Safeguarding teams. The "
            "first three teams went live in September 2021 in the north of the borough; the remaining four followed "
            "in April 2022, after the council had recruited most of its adult practitioners.",
            "Each team brings together social workers, family support workers and adult specialists. The mental "
            "health practitioners are seconded from Fenwold and Ashcombe NHS Foundation Trust, the domestic abuse "
            "workers are employed by Saltmarsh Women's Aid under a five-year contract, and the substance misuse "
            "workers come from Quenby Recovery, the borough's public health-commissioned drug and alcohol service.",
            "Workforce development was treated as the foundation of the change. By March 2023, 214 staff had "
            "completed the five-day motivational interviewing course, including team managers, adult practitioners "
            "and staff from the front door. Skills were then sustained through monthly practice clinics led by two "
            "in-house trainers.",
            "The electronic workbook was the most troublesome part of implementation. It went live in the council's "
            "case management system in June 2022, nine months later than planned, because of delays with the "
            "system supplier. Until then, practitioners kept parallel records, which several described as "
            "exhausting.",
        ],
    ),
    (
        "3. Outcomes for children and families",
        [
            "Table 1 compares the year before implementation with the third full year of the model. The rate of "
            "children subject to a child protection plan fell substantially, and fewer children became looked "
            "after.<super>2</super> Caseloads came down and the council became far less reliant on agency staff.",
            "TABLE",
            "Not every indicator moved in the right direction. Repeat child protection plans did not fall, and the "
            "audit found that in a minority of cases plans had ended before changes in parental behaviour were "
            "secure. The rate of children looked after also fell more slowly than in some other adopting councils, "
            "partly because of a rise in older children entering care for reasons unconnected with parental risk, "
            "such as criminal exploitation.",
            "KEYFIGURES",
            "Parents' accounts were largely positive. Of the 22 parents we interviewed, 17 described their social "
            "worker as honest with them about the council's worries, and 15 said that seeing a mental health or "
            "substance misuse worker quickly had made the biggest difference to their family.",
        ],
    ),
    (
        "4. What practitioners told us",
        [
            "Practitioners were overwhelmingly positive about group case supervision, which in Ashcombe takes place "
            "every four weeks and lasts around two hours. Social workers valued hearing the adult practitioners' "
            "view of risk, and several said that having a mental health worker in the team had 'changed the "
            "conversation' with parents who had previously refused help.",
            "The main concern was the workload of the adult practitioners. The service design assumed that each "
            "domestic abuse worker would hold about 20 families; by the second year they were each holding around "
            "30 families, and two of the six posts were vacant for part of 2023. One manager told us: 'We built the "
            "whole model around the adult workers and then stretched them the thinnest.'<super>3</super>",
            "Staff also reported that the motivational interviewing skills of newer social workers were uneven, "
            "because the five-day course had been offered only twice since the initial training programme ended.",
        ],
    ),
    (
        "5. Costs and savings",
        [
            "Running the model costs the council about £0.8 million a year more than its previous arrangements, "
            "mainly for the adult practitioner posts. Against this, we estimate that the council avoided £3.1 "
            "million of costs in 2023-24, largely through fewer and shorter care placements, giving a net saving "
            "of around £2.3 million in that year.<super>4</super> These estimates are sensitive to placement "
            "prices, which rose sharply during the study period.",
        ],
    ),
    (
        "6. Conclusions and recommendations",
        [
            "Family Safeguarding has become the way Ashcombe does child protection, and the early results are "
            "encouraging. To secure the gains, we recommend that the council:",
            "BULLETS",
            "We will publish a final report, including a comparison with two statistical neighbours, in the summer "
            "of 2025.",
        ],
    ),
]

BRIEF_RECOMMENDATIONS = [
    "reviews the caseloads of adult practitioners and fills the vacant domestic abuse posts;",
    "re-runs the five-day motivational interviewing course at least twice a year for new starters;",
    "extends group case supervision to the children in need teams; and",
    "audits closed child protection plans to understand why repeat plans have not fallen.",
]

BRIEF_TABLE = [
    ["Measure", "2020-21 (baseline)", "2023-24"],
    ["Children subject to a child protection plan (rate per 10,000)", "51.2", "38.6"],
    ["Children looked after (rate per 10,000)", "74.0", "66.3"],
    ["Re-referrals within 12 months", "24%", "17%"],
    ["Repeat child protection plans", "22%", "23%"],
    ["Average social worker caseload", "19.5", "15.8"],
    ["Agency social workers (share of workforce)", "27%", "12%"],
]

BRIEF_KEY_FIGURES = [
    ["Families worked with since launch", "1,940"],
    ["Adult practitioners in the teams", "21"],
    ["Average length of a child protection plan", "9.1 months"],
    ["Net saving in 2023-24", "£2.3m"],
]


class _BriefDoc(BaseDocTemplate):
    def __init__(self, path: str, pages: dict, **kw):
        super().__init__(path, **kw)
        self.seen: dict = {}  # what landed on which page: ("fn", n) or ("h", title) -> page
        self.known = pages  # the previous pass's answer

    def afterFlowable(self, flowable):
        for key in getattr(flowable, "_marks", ()):
            self.seen.setdefault(key, self.page)


def _brief_styles():
    body = ParagraphStyle(
        "body", fontName="Times-Roman", fontSize=9.6, leading=12.4, alignment=TA_JUSTIFY, spaceAfter=5,
        hyphenationLang=HYPHEN_LANG, embeddedHyphenation=1, uriWasteReduce=0.3,
    )
    h = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=11.5, leading=14, spaceBefore=8, spaceAfter=4,
                       textColor=colors.HexColor("#1f4e79"))
    return body, h


def build_briefing(path: Path) -> None:
    pages: dict = {}
    for _ in range(3):  # until footnote and heading pages are stable
        doc = _build_briefing_pass(path, pages)
        if doc.seen == pages:
            break
        pages = dict(doc.seen)


def _build_briefing_pass(path: Path, pages: dict) -> _BriefDoc:
    body, h = _brief_styles()
    W, H = A4
    margin = 1.8 * cm
    foot_zone = 3.4 * cm  # room for footnotes above the footer on every page
    doc = _BriefDoc(str(path), pages, pagesize=A4, title=BRIEF_TITLE, author="Miriam Oakhurst; Tobias Renwick",
                    subject="Research Briefing 14", creator="Tollbridge Centre for Family Research")
    top = H - 2.3 * cm
    bottom = 1.6 * cm + foot_zone
    gap = 0.7 * cm
    col_w = (W - 2 * margin - gap) / 2
    one = Frame(margin, bottom, W - 2 * margin, top - bottom, id="one")
    left = Frame(margin, bottom, col_w, top - bottom, id="left")
    right = Frame(margin + col_w + gap, bottom, col_w, top - bottom, id="right")

    def on_page(c, d):
        c.saveState()
        c.setFont("Helvetica", 8)
        c.setFillColor(colors.HexColor("#1f4e79"))
        c.drawString(margin, H - 1.4 * cm, BRIEF_HEAD)
        c.drawRightString(W - margin, H - 1.4 * cm, "March 2025")
        c.setStrokeColor(colors.HexColor("#1f4e79"))
        c.line(margin, H - 1.6 * cm, W - margin, H - 1.6 * cm)
        c.line(margin, 1.5 * cm, W - margin, 1.5 * cm)
        c.setFillColor(colors.black)
        c.drawString(margin, 1.0 * cm, BRIEF_FOOT)
        c.drawRightString(W - margin, 1.0 * cm, f"Page {d.page}")
        notes = [n for n, p in sorted((k[1], v) for k, v in pages.items() if k[0] == "fn") if p == d.page]
        if notes:
            y = bottom - 0.35 * cm
            c.line(margin, y, margin + 5 * cm, y)
            y -= 0.15 * cm
            style = ParagraphStyle("fn", fontName="Times-Roman", fontSize=7.4, leading=9)
            for n in notes:
                para = Paragraph(f"<super>{n}</super> {FOOTNOTES[n]}", style)
                _, ph = para.wrap(W - 2 * margin, 3 * cm)
                y -= ph
                para.drawOn(c, margin, y)
                y -= 0.1 * cm
        c.restoreState()

    doc.addPageTemplates([
        PageTemplate("cover", frames=[one], onPage=on_page),
        PageTemplate("columns", frames=[left, right], onPage=on_page),
    ])

    story = []
    small = ParagraphStyle("small", fontName="Helvetica", fontSize=9, leading=12, textColor=colors.HexColor("#555555"))
    story.append(Paragraph("RESEARCH BRIEFING 14 &nbsp;&middot;&nbsp; MARCH 2025", small))
    story.append(Spacer(1, 0.3 * cm))
    story.append(Paragraph(BRIEF_TITLE, ParagraphStyle("t", fontName="Helvetica-Bold", fontSize=20, leading=24,
                                                       textColor=colors.HexColor("#1f4e79"))))
    story.append(Spacer(1, 0.3 * cm))
    story.append(Paragraph("Dr Miriam Oakhurst and Tobias Renwick", ParagraphStyle("a", fontName="Helvetica",
                                                                                   fontSize=11, leading=14)))
    story.append(Spacer(1, 0.8 * cm))
    story.append(Paragraph("Contents", h))
    toc_style = ParagraphStyle("toc", fontName="Helvetica", fontSize=10, leading=16)
    rows = []
    for title, _ in BRIEF_SECTIONS:
        rows.append([Paragraph(title, toc_style), Paragraph(str(pages.get(("h", title), 2)), toc_style)])
    rows.append([Paragraph("About this study", toc_style), Paragraph(str(pages.get(("h", "About this study"), 5)),
                                                                     toc_style)])
    toc = Table(rows, colWidths=[12 * cm, 1.5 * cm])
    toc.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#bbbbbb")),
                             ("ALIGN", (1, 0), (1, -1), "RIGHT")]))
    story.append(toc)
    story.append(Spacer(1, 0.8 * cm))
    intro = ParagraphStyle("intro", fontName="Helvetica", fontSize=10, leading=14, textColor=colors.HexColor("#333333"))
    story.append(Paragraph(
        "The Tollbridge Centre for Family Research is an independent research centre based at the University of "
        "Halbury. Our research briefings summarise studies of children's social care for practitioners, managers "
        "and elected members. This briefing was funded by the Halbury Children's Research Trust; the views "
        "expressed are those of the authors.", intro))
    story.append(NextPageTemplate("columns"))
    story.append(PageBreak())

    for title, paras in BRIEF_SECTIONS:
        head = Paragraph(title, h)
        head._marks = [("h", title)]
        story.append(CondPageBreak(2.5 * cm))
        story.append(head)
        for text in paras:
            if text == "TABLE":
                story.append(_brief_table(col_w))
            elif text == "KEYFIGURES":
                story.append(_key_figures(col_w))
            elif text == "BULLETS":
                for item in BRIEF_RECOMMENDATIONS:
                    story.append(Paragraph(item, ParagraphStyle("b", parent=body, leftIndent=10, bulletIndent=0),
                                           bulletText="\u2022"))
            else:
                p = Paragraph(text, body)
                p._marks = [("fn", int(n)) for n in _supers(text)]
                story.append(p)
    about = Paragraph("About this study", h)
    about._marks = [("h", "About this study")]
    story.append(about)
    story.append(Paragraph(
        "The study was approved by the University of Halbury's research ethics committee. Parents were recruited "
        "through their social workers and were offered a shopping voucher for their time. Case files were "
        "selected at random from children whose plans started between January 2022 and June 2023.", body))
    doc.build(story)
    return doc


def _supers(text: str) -> list[str]:
    import re

    return re.findall(r"<super>(\d+)</super>", text)


def _brief_table(width: float) -> KeepTogether:
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=7.8, leading=9.5)
    headc = ParagraphStyle("headc", parent=cell, fontName="Helvetica-Bold", textColor=colors.white)
    data = [[Paragraph(c, headc) for c in BRIEF_TABLE[0]]]
    data += [[Paragraph(c, cell) for c in row] for row in BRIEF_TABLE[1:]]
    table = Table(data, colWidths=[width * 0.56, width * 0.24, width * 0.20], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#1f4e79")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef3f8")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, colors.HexColor("#1f4e79")),
    ]))
    caption = Paragraph("<b>Table 1.</b> Selected outcomes, Ashcombe, before and after Family Safeguarding",
                        ParagraphStyle("cap", fontName="Helvetica", fontSize=8, leading=10, spaceAfter=3))
    return KeepTogether([caption, table, Spacer(1, 6)])


def _key_figures(width: float) -> KeepTogether:
    label = ParagraphStyle("kl", fontName="Helvetica", fontSize=8, leading=10)
    value = ParagraphStyle("kv", fontName="Helvetica-Bold", fontSize=13, leading=15,
                           textColor=colors.HexColor("#1f4e79"))
    data = [[Paragraph("<b>Key figures</b>", ParagraphStyle("kh", fontName="Helvetica-Bold", fontSize=9.5,
                                                            leading=12)), ""]]
    data += [[Paragraph(lab, label), Paragraph(val, value)] for lab, val in BRIEF_KEY_FIGURES]
    box = Table(data, colWidths=[width * 0.62, width * 0.38])
    box.setStyle(TableStyle([
        ("SPAN", (0, 0), (1, 0)),
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#fdf3dc")),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.HexColor("#c8a04a")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return KeepTogether([Spacer(1, 4), box, Spacer(1, 8)])


# ---------------------------------------------------------------------------------------------------------------
# 2. Inspection report (No Wrong Door hub)
# ---------------------------------------------------------------------------------------------------------------

INSP_TITLE = "Inspection of Brindleford Borough Council children's services"

INSP_JUDGEMENTS = [
    ["Judgement", "Grade"],
    ["The impact of leaders on social work practice with children and families", "Good"],
    ["The experiences and progress of children who need help and protection", "Good"],
    ["The experiences and progress of children in care", "Requires improvement to be good"],
    ["The experiences and progress of care leavers", "Outstanding"],
    ["Overall effectiveness", "Good"],
]

INSP_IMPROVE = [
    "The timeliness and quality of return home interviews for children who go missing from care.",
    "Access to the Linthwaite hub's outreach service for young people living at home.",
    "The stability of placements for children in care aged under 12.",
]

INSP_PARAS: list[tuple[str | None, str]] = [
    ("Headline findings", None),
    (None, "Since the last inspection in 2021, children's services in Brindleford have continued to improve. "
     "Senior leaders have a clear understanding of the strengths and weaknesses of practice, and they have used "
     "the borough's participation in the Strengthening Families, Protecting Children programme to transform "
     "services for adolescents. The most significant change has been the opening of the Linthwaite hub, "
     "Brindleford's version of the No Wrong Door model developed by North Yorkshire."),
    (None, "Children who need help and protection receive a timely and proportionate response. Social workers "
     "know their children well and visit them regularly. However, some children in care aged under 12 have "
     "experienced too many moves, and the quality of return home interviews for children who go missing is "
     "inconsistent."),
    ("The experiences and progress of children in care", None),
    (None, "The Linthwaite hub opened in November 2021. It brings together a six-bed residential home, "
     "Linthwaite House, two outreach beds for short breaks and emergency stays, and a team of key workers who "
     "support young people aged 12 to 17 who are in care or on the edge of care. Young people keep the same key "
     "worker whether they are living at home, in foster care or at the hub, which means that they do not have to "
     "tell their story again each time their circumstances change."),
    (None, "The hub's core team includes a clinical psychologist, a speech and language therapist and a "
     "police liaison officer, who work alongside the key workers rather than through separate referrals. "
     "Young people spoke positively about the speed with which they were able to see the psychologist, and "
     "inspectors saw thoughtful communication plans written by the speech and language therapist."),
    (None, "The hub is making a difference to the number of adolescents who come into care. The number of young "
     "people aged 12 to 17 entering care fell from 58 in 2020-21 to 39 in 2023-24, and leaders have reinvested "
     "the money saved on external residential placements in two additional key worker posts."),
    (None, "For young people supported by the hub, missing episodes fell by 31% in the 12 months after they "
     "started working with a key worker. Police and hub staff share information daily, and the police liaison "
     "officer has helped to reduce the number of young people who are criminalised for behaviour in the home."),
    (None, "Not all young people who could benefit from the hub receive its help quickly enough. At the time of "
     "the inspection, 14 young people living at home were waiting for the hub's outreach service, and some had "
     "waited up to six weeks. Managers have a plan to address this, but it has not yet had an impact."),
    (None, "When children go missing from care, return home interviews are not consistently offered within 72 "
     "hours, and too many records do not show what the child said or what was done as a result. This means that "
     "important information about risks outside the home is not always used to keep children safe."),
    (None, "Children in care aged under 12 are not always living in stable homes. A small number have moved "
     "three or more times in a year, largely because of a shortage of local foster carers. The council's "
     "fostering recruitment campaign has increased enquiries, but few new carers have yet been approved."),
    ("The experiences and progress of care leavers", None),
    (None, "Care leavers benefit from an ambitious and well-resourced service. Personal advisers are "
     "persistent and creative, and they stay in touch with nearly all care leavers, including those aged 21 to "
     "25. Young people who lived at Linthwaite House can continue to see their key worker after they turn 18, "
     "an arrangement that care leavers described as 'the thing that kept me going'."),
    (None, "The local offer for care leavers is generous and well publicised. It includes council tax exemption "
     "up to the age of 25, free leisure passes and a guaranteed interview for council apprenticeships. The "
     "council has set aside 20 apprenticeships a year for care leavers."),
    ("The impact of leaders on social work practice with children and families", None),
    (None, "Leaders have a strong and shared commitment to keeping families together. The director of children's "
     "services and the lead member for children visit the Linthwaite hub regularly and meet young people to hear "
     "their views. Corporate leaders have protected investment in the hub, including £1.2 million to refurbish "
     "Linthwaite House in 2022."),
    (None, "Leaders learned from North Yorkshire before opening the hub and have kept faith with the core "
     "principles of the model: a single, consistent key worker; embedded specialists; and a commitment that the "
     "hub will not turn away a young person because they do not fit a criterion. Leaders are now sharing their "
     "own learning with two neighbouring councils that are considering the model."),
    (None, "Social workers told inspectors that Brindleford is a good place to work. Caseloads are manageable, "
     "averaging 17 children per social worker, and the proportion of agency staff has fallen to 11%. Supervision "
     "is regular, although records of supervision do not always show how the actions agreed will be followed up."),
    (None, "Quality assurance is thorough. Audits are carried out jointly with practitioners and lead to real "
     "improvements in practice. However, leaders have been slower to act on what audits showed about return home "
     "interviews, which is why this remains an area for improvement."),
]


def build_inspection(path: Path) -> None:
    W, H = A4
    margin = 2.2 * cm

    def on_page(c, d):
        c.saveState()
        c.setFont("Helvetica", 8)
        c.drawString(margin, H - 1.3 * cm, "Inspection of Brindleford Borough Council children's services")
        c.drawRightString(W - margin, H - 1.3 * cm, "3 to 14 February 2025")
        c.drawString(margin, 1.1 * cm, "Inspection of local authority children's services")
        c.drawRightString(W - margin, 1.1 * cm, f"{d.page}")
        c.restoreState()

    doc = BaseDocTemplate(str(path), pagesize=A4, title=INSP_TITLE, author="Children's services inspectorate")
    frame = Frame(margin, 2 * cm, W - 2 * margin, H - 4.2 * cm)
    doc.addPageTemplates([PageTemplate("p", frames=[frame], onPage=on_page)])
    body = ParagraphStyle("b", fontName="Helvetica", fontSize=10, leading=13.5, spaceAfter=7)
    num = ParagraphStyle("n", parent=body, leftIndent=0.9 * cm, bulletIndent=0, bulletFontName="Helvetica")
    h1 = ParagraphStyle("h1", fontName="Helvetica-Bold", fontSize=17, leading=21, spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName="Helvetica-Bold", fontSize=12.5, leading=16, spaceBefore=8, spaceAfter=6)
    story = [
        Paragraph("Inspection of Brindleford Borough Council children's services", h1),
        Paragraph("Inspection dates: 3 February 2025 to 14 February 2025", body),
        Paragraph("Lead inspector: Helen Marchbank, His Majesty's Inspector", body),
        Spacer(1, 6),
    ]
    cell = ParagraphStyle("c", fontName="Helvetica", fontSize=9.5, leading=12)
    cellb = ParagraphStyle("cb", parent=cell, fontName="Helvetica-Bold")
    data = [[Paragraph(x, cellb) for x in INSP_JUDGEMENTS[0]]]
    data += [[Paragraph(a, cell), Paragraph(b, cellb)] for a, b in INSP_JUDGEMENTS[1:]]
    t = Table(data, colWidths=[11 * cm, (W - 2 * margin) - 11 * cm])
    t.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#7a7a7a")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e5e5e5")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    story += [t, Spacer(1, 10)]
    story.append(Paragraph("What needs to improve in this local authority?", h2))
    for item in INSP_IMPROVE:
        story.append(Paragraph(item, ParagraphStyle("bl", parent=body, leftIndent=0.6 * cm), bulletText="\u2022"))
    n = 0
    for heading, text in INSP_PARAS:
        if heading:
            story.append(Paragraph(heading, h2))
            continue
        n += 1
        story.append(Paragraph(text, num, bulletText=f"{n}."))
    story.append(Spacer(1, 10))
    story.append(Paragraph(
        "Ofsted has a duty to report on the quality of children's services. This report is published under the "
        "arrangements for the inspection of local authority children's services. If you have any questions "
        "about this report, please contact the inspectorate's national contact centre.",
        ParagraphStyle("s", parent=body, fontSize=8.5, leading=11, textColor=colors.HexColor("#444444"))))
    doc.build(story)


# ---------------------------------------------------------------------------------------------------------------
# 3. Slide-deck export (Family Valued learning event)
# ---------------------------------------------------------------------------------------------------------------

SLIDES: list[tuple[str, list[str]]] = [
    ("Family Valued in Carrow Vale: what we learned in year one", [
        "Regional Family Valued learning event, Carrow Vale Civic Centre",
        "Imogen Dunleavy, Head of Service, Family Help, Carrow Vale Council",
        "Marcus Ellery, Family Group Conference Service Manager",
    ]),
    ("Why we chose Family Valued", [
        "Children in care rose from 410 to 486 in three years (2020 to 2023)",
        "Too many decisions about children were made in meetings families did not attend",
        "Staff wanted a shared practice model, not another new form",
        "Leeds offered to be our partner in practice through the SFPC programme",
    ]),
    ("What Family Valued means in Carrow Vale", [
        "Restorative practice: working WITH families, not doing TO them or FOR them",
        "A family group conference offered at every key decision point",
        "Restorative practice training for the whole children's workforce, including partners",
        "Relational leadership: managers model the same behaviours in supervision",
    ]),
    ("Our timeline", [
        "October 2023: cabinet approves the Family Valued business case",
        "January 2024: first restorative practice training cohort",
        "April 2024: FGC service grows from 4 to 11 coordinators",
        "September 2024: FGC offered before every initial child protection conference",
        "March 2025: Family Valued extended to the disabled children's team",
    ]),
    ("How we trained 640 people in a year", [
        "Two-day restorative practice course, delivered by Leeds trainers for the first three cohorts",
        "From cohort four, co-delivered by 12 Carrow Vale practitioners trained as facilitators",
        "Mixed groups: social workers, early help, schools, health visitors and police in the same room",
        "Half-day follow-up session three months later to share what had changed in practice",
    ]),
    ("Family group conferences in Carrow Vale", [
        "Independent coordinator, not the family's social worker",
        "Coordinator allocated within five working days of referral",
        "Private family time at every conference: no professionals in the room",
        "Family plans reviewed at a second conference after 10 to 12 weeks",
        "Advocates offered to every child aged 8 and over",
    ]),
    ("Year one in numbers", [
        "640 staff and partners trained in restorative practice",
        "312 family group conferences held (96 in the year before)",
        "78% of conferences agreed a family plan the council could support",
        "41 children stayed with their family network instead of coming into care",
    ]),
    ("What families told us", [
        "\u201cIt was the first meeting where we did the talking.\u201d (grandmother)",
        "Private family time was valued most, especially by fathers and paternal relatives",
        "Some families felt the conference came too late, after proceedings had started",
        "Interpreters were not always booked in time for conferences",
    ]),
    ("What got in the way", [
        "Recruiting FGC coordinators took five months longer than planned",
        "Our case recording system had nowhere to record a family plan",
        "Schools and health colleagues joined the training late",
        "Court timescales sometimes left too little time for a conference",
    ]),
    ("What we would do differently", [
        "Start recruiting coordinators before the training begins",
        "Train team managers first, so they can coach their teams",
        "Agree with health and education partners at the outset who attends conferences",
        "Measure family plans from day one, not from month six",
    ]),
    ("Next steps for 2025-26", [
        "Offer pre-birth family group conferences from 20 weeks of pregnancy",
        "Launch a family network support fund for practical help to kinship carers",
        "Train 150 foster carers in restorative approaches",
        "Independent evaluation by the Orrisdale Institute, reporting in 2026",
    ]),
    ("Questions and discussion", [
        "What has helped your council involve the wider family earlier?",
        "How do you protect private family time in pre-proceedings?",
        "Contact the Carrow Vale Family Valued team: familyvalued@carrowvale.example",
    ]),
]


def build_slides(path: Path) -> None:
    size = landscape((19.05 * cm, 33.867 * cm))  # 16:9
    W, H = size
    c = pdfcanvas.Canvas(str(path), pagesize=size)
    c.setTitle("Family Valued in Carrow Vale: what we learned in year one")
    c.setAuthor("Carrow Vale Council")
    teal = colors.HexColor("#00737a")
    bullet_style = ParagraphStyle("bul", fontName="Helvetica", fontSize=21, leading=27, leftIndent=0.9 * cm,
                                  bulletIndent=0, bulletFontSize=21, spaceAfter=10)
    for i, (title, bullets) in enumerate(SLIDES, start=1):
        c.setFillColor(teal)
        c.rect(0, H - 3.4 * cm, W, 3.4 * cm, fill=1, stroke=0)
        c.setFillColor(colors.white)
        c.setFont("Helvetica-Bold", 30 if i > 1 else 32)
        c.drawString(1.6 * cm, H - 2.3 * cm, title)
        y = H - 5.0 * cm
        for b in bullets:
            p = Paragraph(b, bullet_style, bulletText="\u2022")
            _, ph = p.wrap(W - 3.6 * cm, H)
            y -= ph
            p.drawOn(c, 1.6 * cm, y)
            y -= 0.5 * cm
        c.setFillColor(colors.HexColor("#666666"))
        c.setFont("Helvetica", 11)
        c.drawString(1.6 * cm, 0.9 * cm, "Family Valued learning event  |  Carrow Vale Council  |  12 June 2025")
        c.drawRightString(W - 1.6 * cm, 0.9 * cm, f"{i}")
        c.showPage()
    c.save()


# ---------------------------------------------------------------------------------------------------------------
# 4. Cabinet paper (Word): funding a Family Valued rollout
# ---------------------------------------------------------------------------------------------------------------

def build_cabinet_paper(path: Path) -> None:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    d = Document()
    d.core_properties.title = "Family Valued: funding the countywide rollout 2025 to 2028"
    d.core_properties.author = "Daniel Ashworth-Pike"
    style = d.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)

    p = d.add_paragraph("Dunmere County Council")
    p.runs[0].bold = True
    p.runs[0].font.size = Pt(16)
    d.add_paragraph("Cabinet").runs[0].bold = True
    cover = [
        ("Report title", "Family Valued: funding the countywide rollout 2025 to 2028"),
        ("Meeting", "Cabinet"),
        ("Date", "17 September 2025"),
        ("Report of", "Executive Director of Children and Families"),
        ("Cabinet member", "Councillor Rosalind Featherstone, Cabinet Member for Children and Young People"),
        ("Author", "Daniel Ashworth-Pike, Assistant Director, Early Help and Safeguarding"),
        ("Wards affected", "All"),
        ("Key decision", "Yes"),
        ("Exempt information", "No"),
    ]
    t = d.add_table(rows=0, cols=2)
    t.style = "Table Grid"
    for k, v in cover:
        row = t.add_row().cells
        row[0].text = k
        row[1].text = v
        row[0].paragraphs[0].runs[0].bold = True

    def heading(text):
        d.add_heading(text, level=1)

    def para(text):
        d.add_paragraph(text)

    heading("1. Purpose of the report")
    para("1.1 This report seeks Cabinet's approval to fund the extension of Family Valued, the restorative practice "
         "model developed by Leeds City Council, from the two districts where it has been piloted to the whole "
         "county over the three financial years 2025/26 to 2027/28.")
    para("1.2 Family Valued aims to keep more children safely within their families by working restoratively with "
         "parents and the wider family network, and by offering a family group conference whenever a significant "
         "decision about a child is being considered.")

    heading("2. Recommendations")
    para("Cabinet is recommended to:")
    recs = [
        "approve total investment of £3.84 million over three years to roll out Family Valued across the county, "
        "as set out in section 5;",
        "delegate authority to the Executive Director of Children and Families, in consultation with the Cabinet "
        "Member for Children and Young People, to award a contract for restorative practice training with a value "
        "of up to £420,000;",
        "agree that the family group conference service is brought in-house from 1 April 2026, when the current "
        "contract with Pellham Family Mediation ends; and",
        "note that the rollout is expected to avoid £5.2 million of placement costs by 2028/29, and that progress "
        "will be reported to the Children and Families Scrutiny Committee every six months.",
    ]
    for r in recs:
        d.add_paragraph(r, style="List Number")

    heading("3. Background")
    para("3.1 Dunmere joined the Strengthening Families, Protecting Children programme in 2023, with Leeds as its "
         "partner in practice. Family Valued was piloted in the Stoneacre and Wrexcombe districts from June 2023. "
         "Around 300 staff in those districts, together with colleagues from schools, health visiting and the "
         "police, completed two days of restorative practice training.")
    para("3.2 The pilot has produced encouraging results. In the two pilot districts the number of children in care "
         "fell by 9% between March 2023 and March 2025, while it rose by 4% in the rest of the county. Family group "
         "conferences increased from 58 a year to 204 a year, and in 7 out of 10 conferences the family produced a "
         "plan that the council could support.")
    para("3.3 Staff in the pilot districts report that restorative practice has given them a common language. In "
         "the 2024 staff survey, 81% of practitioners in the pilot districts said that they felt confident "
         "involving the wider family in planning, compared with 52% elsewhere in the county.")
    para("3.4 The pilot has also shown where the model needs more support. Demand for conferences has outstripped "
         "the capacity of the commissioned service, so that families in the pilot districts have waited on average "
         "seven weeks for a conference. Extending the model without more coordinators would make this worse.")

    heading("4. Proposal")
    para("4.1 It is proposed that Family Valued is extended to the remaining five districts in three phases: the "
         "northern districts from January 2026, the central districts from September 2026 and the southern "
         "districts from April 2027.")
    para("4.2 The family group conference service will be brought in-house and expanded to 14 full-time "
         "coordinators, so that every family can be offered a conference within six weeks of referral. Bringing "
         "the service in-house will allow coordinators to work alongside social work teams and will give the "
         "council direct control over quality and waiting times.")
    para("4.3 A family network support fund will be created to pay for practical help that allows relatives to "
         "care for a child, such as a bed, a larger car seat, or travel costs, without a lengthy approval process. "
         "Team managers will be able to approve requests of up to £1,500 per family.")
    para("4.4 Five Family Valued practice leads will coach teams through the change, and an independent "
         "evaluation will be commissioned to report to Cabinet in 2028.")

    heading("5. Financial implications")
    para("5.1 The total cost of the rollout over three years is £3.84 million, as shown in Table 1.")
    cap = d.add_paragraph("Table 1: Family Valued rollout budget (£)")
    cap.runs[0].bold = True
    budget = [
        ("Item", "2025/26", "2026/27", "2027/28", "Total"),
        ("Family group conference coordinators (14 FTE)", "310,000", "620,000", "640,000", "1,570,000"),
        ("Restorative practice training", "180,000", "160,000", "80,000", "420,000"),
        ("Family network support fund", "150,000", "300,000", "300,000", "750,000"),
        ("Family Valued practice leads (5 FTE)", "140,000", "190,000", "190,000", "520,000"),
        ("Programme team and independent evaluation", "220,000", "240,000", "120,000", "580,000"),
        ("Total", "1,000,000", "1,510,000", "1,330,000", "3,840,000"),
    ]
    bt = d.add_table(rows=0, cols=5)
    bt.style = "Table Grid"
    for i, row in enumerate(budget):
        cells = bt.add_row().cells
        for j, v in enumerate(row):
            cells[j].text = v
            if j:
                cells[j].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if i == 0 or i == len(budget) - 1:
                cells[j].paragraphs[0].runs[0].bold = True
    para("5.2 £1.5 million of the cost will be met from the council's allocation of the Families First "
         "Partnership grant. The remaining £2.34 million will be met from the Children's Services transformation "
         "reserve, which currently stands at £6.1 million.")
    para("5.3 The rollout is expected to avoid £5.2 million of placement costs by 2028/29, mainly by reducing the "
         "number of children who need residential or independent fostering placements. These savings are not yet "
         "included in the medium-term financial strategy and will be added once they are evidenced.")

    heading("6. Legal implications")
    para("6.1 The council has a duty under section 17 of the Children Act 1989 to safeguard and promote the welfare "
         "of children in need and, so far as is consistent with that duty, to promote their upbringing by their "
         "families. Family group conferences support the council to meet the expectation in the Public Law Outline "
         "that the wider family is considered before proceedings are issued.")
    para("6.2 Staff currently employed by Pellham Family Mediation to deliver the service may transfer to the "
         "council under the Transfer of Undertakings (Protection of Employment) Regulations 2006.")

    heading("7. Risks")
    para("7.1 The main risk is recruitment. The pilot took longer than planned to fill coordinator posts, and the "
         "regional market for experienced coordinators is small. This will be mitigated by recruiting in two waves "
         "and by offering a training route for family support workers to become coordinators.")
    para("7.2 There is a risk that savings take longer to appear than forecast. The programme board will track "
         "leading indicators, such as the number of conferences held before a child protection conference, each "
         "quarter.")

    heading("8. Equality implications")
    para("8.1 An equality impact assessment has been completed. Family group conferences are already used more "
         "by some communities than others; the service will recruit coordinators who speak the county's most common "
         "community languages and will offer conferences in the evenings and at weekends.")

    heading("9. Background papers")
    para("Family Valued pilot evaluation: interim findings (Dunmere County Council, May 2025).")
    d.save(str(path))


# ---------------------------------------------------------------------------------------------------------------
# 5. Practice guidance note (Word): family group conferences and kinship care
# ---------------------------------------------------------------------------------------------------------------

def build_guidance(path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    d = Document()
    d.core_properties.title = "Practice Guidance Note 11: Family group conferences and kinship care"
    d.core_properties.author = "Kelsworth City Council Children's Services"
    d.styles["Normal"].font.name = "Calibri"
    d.styles["Normal"].font.size = Pt(11)

    d.add_heading("Practice Guidance Note 11: Family group conferences and kinship care", level=0)
    d.add_paragraph("Kelsworth City Council, Children's Services. Version 2.1, issued May 2025.")

    d.add_heading("1. Purpose and scope", level=1)
    d.add_paragraph(
        "This guidance explains how Kelsworth practitioners should use family group conferences (FGCs) and how "
        "they should assess and support relatives and friends who offer to care for a child. It applies to all "
        "social workers, family support workers and team managers in the Early Help, Children in Need, Child "
        "Protection and Children in Care services.")
    d.add_paragraph(
        "It replaces Practice Guidance Note 4 (2021). The main changes are that an FGC must now be offered before "
        "pre-proceedings begin, and that viability assessments of relatives must be completed more quickly.")

    d.add_heading("2. What is a family group conference?", level=1)
    d.add_paragraph(
        "A family group conference is a meeting in which the child's family and friends, supported by an "
        "independent coordinator, make a plan to keep the child safe and well. The coordinator is not the child's "
        "social worker and has no case responsibility. The family decide who they invite, and the child is "
        "supported to take part, with an advocate if they wish.")
    d.add_paragraph(
        "Every conference has three stages. First, professionals share information about the worries and the "
        "support available. Secondly, the family have private family time: they meet on their own, without any "
        "professionals in the room, to make their plan. Thirdly, the family present their plan, and the social "
        "worker agrees it unless it would leave the child at risk of significant harm.")

    d.add_heading("3. When an FGC must be offered", level=1)
    d.add_paragraph("An FGC must be offered to every family when:")
    for item in [
        "a child is likely to become subject to a child protection plan for the second time;",
        "the local authority is considering a letter before proceedings under the Public Law Outline;",
        "a child may need to be looked after, unless the need is an emergency;",
        "a plan is being made for a young person to return home from care; or",
        "a kinship carer's arrangement is at risk of breaking down.",
    ]:
        d.add_paragraph(item, style="List Bullet")
    d.add_paragraph(
        "If a family declines an FGC, the social worker should record the reasons and offer it again at the next "
        "review. A family's refusal should never be held against them.")

    d.add_heading("4. Making a referral: step by step", level=1)
    for item in [
        "Explain what an FGC is to the parents and, where appropriate, the child, using the family leaflet, and "
        "obtain the parents' consent to the referral.",
        "Complete the FGC referral form in the case management system, setting out the decision the family is "
        "being asked to plan for and any risks that the plan must address.",
        "Ask your team manager to authorise the referral within two working days.",
        "The FGC service allocates an independent coordinator within five working days of receiving the "
        "authorised referral.",
        "The coordinator meets the child, parents and each member of the family network before the conference "
        "to prepare them. You will be asked to write a short information report in plain English.",
        "The conference takes place within 30 working days of the referral; for families in pre-proceedings, "
        "within 15 working days.",
        "Hold a review meeting within three months of the conference to check whether the plan is working.",
    ]:
        d.add_paragraph(item, style="List Number")

    d.add_heading("5. Kinship care: assessing relatives and friends", level=1)
    d.add_paragraph(
        "Where a relative or friend offers to care for a child who cannot live with their parents, the social "
        "worker must arrange a viability assessment. The viability assessment must be completed within 10 working "
        "days of the person being identified, using the Kelsworth viability template. The Kinship Care Team will "
        "provide an assessing social worker where the child's social worker does not have capacity.")
    d.add_paragraph(
        "If the child needs to move to the relative in an emergency, the placement may be approved temporarily "
        "under regulation 24 of the Care Planning, Placement and Case Review (England) Regulations 2010. A full "
        "connected person's assessment must then be presented to the fostering panel. Practitioners must not ask "
        "a relative to care for a child informally as a way of avoiding these assessments.")
    d.add_paragraph(
        "Kinship carers should be told about the different legal arrangements open to them, including special "
        "guardianship and child arrangements orders, and encouraged to seek independent legal advice. The council "
        "will pay for up to three hours of independent legal advice for a kinship carer considering a special "
        "guardianship order.")

    d.add_heading("6. Supporting kinship carers", level=1)
    d.add_paragraph(
        "Every kinship carer should be offered a named support worker from the Kinship Care Team, access to the "
        "monthly Kelsworth kinship carers' peer group, and training in therapeutic parenting. Financial support is "
        "means-tested and is assessed by the Kinship Care Team in line with the council's kinship allowance "
        "policy.")
    d.add_paragraph(
        "Where a child is living with kinship carers, the family network should be invited to an FGC at least once "
        "a year to review how the arrangement is working and what help the carers need.")

    d.add_heading("7. Recording", level=1)
    d.add_paragraph(
        "The family plan agreed at the conference must be uploaded to the child's record within two working days "
        "and linked to the child's plan. Where the family plan and the child's plan differ, the social worker must "
        "record why.")

    d.add_heading("8. Contacts", level=1)
    contacts = [
        ("Service", "Contact", "Telephone", "Email"),
        ("Family Group Conference Service", "Duty coordinator", "01632 960418", "fgc@kelsworth.example.gov.uk"),
        ("Kinship Care Team", "Abena Thistlewood, Team Manager", "01632 960552", "kinship@kelsworth.example.gov.uk"),
        ("Kinship carers' peer group", "Joel Farrant, Support Worker", "01632 960771",
         "kinshipgroup@kelsworth.example.gov.uk"),
        ("Legal Services (children)", "Duty lawyer", "01632 960305", "childrenslegal@kelsworth.example.gov.uk"),
        ("Emergency Duty Team (out of hours)", "Duty social worker", "01632 960999", "-"),
    ]
    ct = d.add_table(rows=0, cols=4)
    ct.style = "Table Grid"
    for i, row in enumerate(contacts):
        cells = ct.add_row().cells
        for j, v in enumerate(row):
            cells[j].text = v
            if i == 0:
                cells[j].paragraphs[0].runs[0].bold = True
    d.add_paragraph("")
    d.add_paragraph("Document owner: Head of Service, Children in Need and Child Protection. Next review: May 2026.")
    d.save(str(path))


def main() -> None:
    build_briefing(OUT / "ashcombe-family-safeguarding-research-briefing.pdf")
    build_inspection(OUT / "brindleford-childrens-services-inspection.pdf")
    build_slides(OUT / "carrow-vale-family-valued-learning-event-slides.pdf")
    build_cabinet_paper(OUT / "dunmere-cabinet-report-family-valued-rollout.docx")
    build_guidance(OUT / "kelsworth-fgc-kinship-practice-guidance.docx")
    for p in sorted(OUT.iterdir()):
        print(p.name, p.stat().st_size)


if __name__ == "__main__":
    main()
