"""Build the second set of "other publisher" evaluation documents in eval/other_formats2 (fictional councils, people, figures).

Run it with a throwaway virtual environment, never the project's:

    python3 -m venv /tmp/gen2 && /tmp/gen2/bin/pip install reportlab python-docx
    /tmp/gen2/bin/python eval/make_other_formats2.py        # from the project root

Writes:
  hollinbrook-family-safeguarding-evaluation-report.pdf  university evaluation report, 7 pages: cover, contents page
                                                         with dotted leaders, running header and footer, two-column
                                                         body, an outcomes table with wrapped header cells and row
                                                         labels, a key-figures box beside the text, footnotes, and
                                                         sentences that run across page breaks (Family Safeguarding)
  wyvern-vale-no-wrong-door-slides.pdf                   landscape slide-deck export with a bar chart and caption,
                                                         then two portrait speaker-notes pages (No Wrong Door)
  ketterby-cabinet-report-family-group-conferences.docx  cabinet report: cover metadata table, numbered paragraphs,
                                                         bullet lists, budget table, appendices (Family Valued, FGCs)
  stanmere-kinship-allowance-news.html                   charity news article saved from the web with its cookie
                                                         banner, menus, breadcrumbs, sidebar and footer (kinship care)
  ashgrove-group-supervision-practice-guidance.docx      practice guidance: headings, a "Key facts" box (one-row table),
                                                         numbered steps and a contacts table (workforce, Family
                                                         Safeguarding)

Questions about these documents are in eval/other_formats2.jsonl.
"""

# ruff: noqa: E501  (the saved web page below keeps the long lines a CMS writes)

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
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

OUT = Path(__file__).resolve().parent / "other_formats2"


# ---------------------------------------------------------------------------------------------------------------
# 1. University evaluation report (Family Safeguarding in Hollinbrook)
# ---------------------------------------------------------------------------------------------------------------

REPORT_TITLE = "Family Safeguarding in Hollinbrook"
REPORT_SUBTITLE = "Final evaluation report for Hollinbrook City Council"
REPORT_HEAD_LEFT = "Family Safeguarding in Hollinbrook: final evaluation report"
REPORT_HEAD_RIGHT = "Marsdale Institute for Social Care Research"
REPORT_FOOT = "University of Marsdale  |  Report 2025/03  |  January 2025"
NAVY = colors.HexColor("#23395d")
GOLD = colors.HexColor("#c99a2e")

REPORT_FOOTNOTES = {
    1: "Hollinbrook City Council, Children's Services Self-Evaluation 2021, p. 7. Regional comparisons use the "
    "published children in need census figures.",
    2: "Sessions in the two Riverside teams were held every four weeks until March 2023, when they moved to the "
    "three-weekly pattern used elsewhere in the city.",
    3: "Unit costs are in 2023-24 prices. Residential placements were costed at an average of £5,400 a week and "
    "independent fostering placements at £1,050 a week.",
    4: "Parents' names and identifying details have been changed or removed.",
}

# Two sentences run across a page break, and their wording is tuned so they do (checked with pypdf): "...most often
# gave for leaving" / "was high caseloads..." (pages 3-4) and "...teams worked with" / "1,240 families..." (pages 4-5).
# Editing text before them moves the breaks.
# Paragraph markers: "TABLE", "BULLETS", "KEYFIGURES_NEXT_PAGE" (the key-figures box goes beside the text on the
# next page).
REPORT_SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Executive summary",
        [
            "Hollinbrook City Council launched Family Safeguarding on 1 February 2022, becoming one of the councils "
            "supported by the Department for Education's Strengthening Families, Protecting Children (SFPC) "
            "programme to adopt the model first developed by Hertfordshire County Council. The Marsdale Institute "
            "for Social Care Research was commissioned in the summer of 2022 to evaluate how the model was put in "
            "place and what difference it made. This is our final report; an interim report was published in June "
            "2023.",
            "We found that Family Safeguarding is now firmly established in Hollinbrook. Fewer children are subject "
            "to child protection plans, fewer children are entering care and social workers carry smaller "
            "caseloads. Parents described workers who were honest, persistent and respectful. The main risks to "
            "the model are the stability of the adult practitioner workforce and the pressure on the domestic "
            "abuse service, where waiting times have begun to rise again.",
            "We make nine recommendations, set out in section 8. The most urgent are to recruit more domestic "
            "abuse practitioners and to agree a longer-term funding arrangement with the NHS trust that seconds "
            "the mental health practitioners.",
        ],
    ),
    (
        "1. Introduction",
        [
            "Family Safeguarding is a whole-system model for child protection work. It brings adult specialists in "
            "mental health, substance misuse and domestic abuse into children's social work teams, trains all "
            "staff in motivational interviewing, replaces individual case supervision with group case supervision, "
            "and uses an electronic workbook to record assessments and plans. The model was evaluated twice under "
            "the Department for Education's Innovation Programme and was then chosen as one of three models to be "
            "spread through the SFPC programme, alongside Leeds' Family Valued and North Yorkshire's No Wrong Door.",
            "Hollinbrook is a city of around 310,000 people, with high levels of deprivation in its eastern wards. "
            "Before 2022 the council had one of the highest rates of children subject to child protection plans in "
            "its region,<super>1</super> and it relied heavily on agency social workers to fill vacant posts. "
            "Senior leaders saw Family Safeguarding as a way of tackling both problems at once.",
            "This report is in eight sections. After this introduction, section 2 describes how Hollinbrook "
            "implemented the model and section 3 the methods we used. Sections 4 to 6 report our findings for "
            "children and families, for the workforce and for partnership working, section 7 sets out costs and "
            "savings, and section 8 draws conclusions and makes recommendations. Notes on the data are in the "
            "appendix.",
        ],
    ),
    (
        "2. The Hollinbrook model",
        [
            "Hollinbrook reorganised its child protection, court and children in need work into eight Family "
            "Safeguarding teams in four localities: North, East, Riverside and Westgate. Each team has a team "
            "manager, six social workers, two family support workers and a share of the adult practitioners. The "
            "first four teams went live on 1 February 2022 and the remaining four in September 2022.",
            "The adult practitioners come from three organisations. Mental health practitioners are seconded from "
            "Hollin Valley Partnership NHS Foundation Trust; domestic abuse practitioners are employed by "
            "Brightwater Domestic Abuse Service under a contract that runs until March 2027; and substance misuse "
            "practitioners are employed by Turning Tide Recovery, the city's drug and alcohol service. The adult "
            "practitioners are based in the same offices as the social workers and take part in the same team "
            "meetings.",
            "Recruitment and retention were central to the council's case for change. Over the three years before "
            "the launch, a third of the social workers who left Hollinbrook did so within two years of joining. "
            "In exit interviews held between 2019 and 2021, the reason social workers most often gave for leaving "
            "was high caseloads combined with a lack of specialist help for parents who misused drugs or alcohol. "
            "Leaders hoped that bringing adult specialists into the teams would make child protection "
            "work both more manageable and more effective.",
            "All staff, including the adult practitioners, business support officers and staff at the front door, "
            "were offered the five-day motivational interviewing course. Group case supervision takes place every "
            "three weeks in each team and lasts up to two and a half hours.<super>2</super> The electronic workbook "
            "went live in May 2022, three months after the first teams, because the council's case management "
            "system had to be reconfigured.",
        ],
    ),
    (
        "3. Methods",
        [
            "The evaluation used a mixed-methods design. We analysed the council's performance data for the three "
            "years from April 2021 to March 2024, audited 96 case files selected at random, ran two online staff "
            "surveys (in November 2022 and May 2024, with 212 and 247 responses) and interviewed 41 practitioners, "
            "12 managers and 31 parents. Parents were interviewed in their homes or by telephone and were offered "
            "a £20 voucher to thank them for their time.",
            "We also estimated the costs and savings of the model using the Institute's unit-cost model and "
            "placement prices provided by the council's commissioning team.<super>3</super> We did not have a "
            "comparison group, so changes over time cannot be attributed to Family Safeguarding alone. Regional "
            "and national trends are noted where they help to interpret the findings.",
            "KEYFIGURES_NEXT_PAGE",
        ],
    ),
    (
        "4. Findings: children and families",
        [
            "Table 1 sets out the main outcome measures for the baseline year, 2021-22, and the two full years that "
            "followed. Almost every measure moved in the right direction. The rate of children subject to a child "
            "protection plan fell by 29%, while the regional rate fell by 6% over the same period.",
            "TABLE",
            "Fewer children entered care. The number of children entering care fell by a quarter over the two "
            "years, and the fall was greatest among children under five, where parental substance misuse had often "
            "been the main concern. However, the number of teenagers entering care did not change, reflecting risks "
            "outside the home that Family Safeguarding was not designed to address.",
            "Parents' accounts were largely positive. Of the 31 parents we interviewed, 24 said their worker had "
            "been honest with them about the council's worries, and 19 said that the help they received from an "
            "adult practitioner had been the most useful part of their involvement with children's services. One "
            "mother told us: 'She was the first person who asked what was going on for me, not just what I was "
            "doing wrong.'<super>4</super>",
            "The teams have now worked with a substantial number of families, and with a wider range of families "
            "than the council expected when it planned the service. Nearly a third had never been known to "
            "children's social care before, and many were referred by adult services. Between the launch in "
            "February 2022 and the end of September 2024, the eight Family "
            "Safeguarding teams worked with 1,240 families, including 2,615 children. Around two thirds of these "
            "families had at least one parent with a mental health difficulty, and 46% were affected by domestic "
            "abuse.",
            "CASE",
            "Waiting times for specialist help fell sharply once the adult practitioners were in post. Before 2022, "
            "parents referred to community mental health services waited an average of 11 weeks for a first "
            "appointment; parents in Family Safeguarding teams now usually see the team's mental health "
            "practitioner within days. Waiting times for domestic abuse support, however, have risen since the "
            "spring of 2024 as referrals have increased.",
        ],
    ),
    (
        "5. Findings: the workforce",
        [
            "The workforce findings are among the strongest in the evaluation. Social worker turnover fell from 24% "
            "in 2021-22 to 13% in 2023-24, and the share of vacancies covered by agency staff fell from 31% to 14%. "
            "In the 2024 staff survey, 78% of social workers said they intended to be working in Hollinbrook in two "
            "years' time, compared with 49% in 2022.",
            "Practitioners were enthusiastic about group case supervision. Social workers valued hearing the adult "
            "practitioners' view of risk and said the sessions helped them to plan visits with a clearer purpose. "
            "Some managers found chairing the sessions demanding, and the council introduced a two-day chairing "
            "course in 2023.",
            "The adult practitioners were more mixed. They valued being part of a team, but several said they felt "
            "caught between two employers with different policies on supervision, leave and recording. Each "
            "domestic abuse practitioner was expected to hold about 18 families; by the summer of 2024 most were "
            "holding between 25 and 30. Two of the ten domestic abuse posts were vacant for six months in 2024.",
            "Motivational interviewing skills were strongest among staff trained in the first year. Newer staff had "
            "to wait up to eight months for a place on the course, and some said they had picked up the language of "
            "motivational interviewing without the skills.",
        ],
    ),
    (
        "6. Findings: partnership working",
        [
            "Family Safeguarding depends on partners as much as on children's services. The NHS trust, Brightwater "
            "and Turning Tide each had to agree that their staff would work inside a council team, follow the "
            "council's recording rules and take part in group supervision. Partners told us that the early months "
            "were difficult: the information-sharing agreement was not signed until July 2022, and for the first "
            "five months adult practitioners could not see children's case records.",
            "Relationships with the police and schools improved, but unevenly. Police colleagues valued having a "
            "domestic abuse practitioner to talk to about high-risk cases, and repeat referrals from the police "
            "fell. Schools were less aware of the model: in the 2024 survey only 38% of designated safeguarding "
            "leads said they understood what Family Safeguarding meant for the families they worked with.",
            "The Family Safeguarding Board, which brings together the council, the NHS trust, the two commissioned "
            "providers and the police, meets every two months. Board members described it as a place where "
            "problems were solved rather than reported, although several said it had spent too little time on "
            "the workforce pressures described in section 5.",
        ],
    ),
    (
        "7. Costs and savings",
        [
            "Running Family Safeguarding costs the council about £1.1 million a year more than its previous "
            "arrangements, mainly for the adult practitioner posts and the workbook licence. Against this, we "
            "estimate that the council avoided costs of £3.0 million in 2023-24, mainly because fewer children "
            "came into care and those who did spent less time in residential homes. This gives a net saving of "
            "around £1.9 million in that year. The estimate is sensitive to placement prices: if prices had stayed "
            "at their 2021-22 level, the net saving would have been about £1.2 million.",
        ],
    ),
    (
        "8. Conclusions and recommendations",
        [
            "Family Safeguarding has changed how child protection work is done in Hollinbrook, and the results after "
            "two and a half years are encouraging. The model now needs to be secured for the long term. We "
            "recommend that the council:",
            "BULLETS",
            "The council has accepted all nine recommendations and will report progress to its Children and Young "
            "People Scrutiny Committee in October 2025.",
        ],
    ),
]

REPORT_RECOMMENDATIONS = [
    "recruits three more domestic abuse practitioners and reviews their caseloads every quarter;",
    "agrees a five-year funding arrangement with Hollin Valley Partnership NHS Foundation Trust for the seconded "
    "mental health practitioners;",
    "offers the five-day motivational interviewing course at least four times a year, so that new staff are trained "
    "within three months of starting;",
    "extends group case supervision to the children in care teams from April 2025;",
    "develops a separate response for teenagers at risk outside the home, drawing on the No Wrong Door model;",
    "reports the outcome measures in Table 1 to the Family Safeguarding Board every six months;",
    "asks the adult practitioners' employers to agree a single supervision and recording policy;",
    "reviews the workbook with practitioners to remove duplicated fields; and",
    "repeats the parent interviews in 2026 to check whether families' experiences have been sustained.",
]

REPORT_CASE = (
    "Case example: the Rowe family",
    "Kelly, who is 27, was referred after the police were called to a fight between her and her partner. Her two "
    "children, aged three and six, were made subject to child protection plans. In the past Kelly would have been "
    "referred to adult mental health services and waited for months. Instead, the team's mental health practitioner "
    "saw her within a week, and the domestic abuse practitioner worked with her partner on a programme for men who "
    "use abuse. The children's plans ended after nine months, and at the 12-month review there had been no further "
    "referrals.",
)

REPORT_TABLE = [
    ["Measure", "2021-22<br/>(baseline)", "2022-23<br/>(year one)", "2023-24<br/>(year two)"],
    ["Children subject to a child protection plan (rate per 10,000)", "58.4", "49.7", "41.2"],
    ["Children looked after at 31 March (rate per 10,000)", "81.5", "78.9", "72.6"],
    ["Children entering care during the year", "214", "187", "161"],
    ["Re-referrals within 12 months", "26%", "21%", "18%"],
    ["Second or subsequent child protection plans", "19%", "20%", "17%"],
    ["Average social worker caseload (children)", "21.3", "17.9", "16.4"],
    ["Vacancies covered by agency staff", "31%", "22%", "14%"],
]

REPORT_KEY_FIGURES = [
    ("318", "staff trained in motivational interviewing"),
    ("27 of 30", "adult practitioner posts filled, March 2024"),
    ("6 days", "average wait for a first appointment with the team's mental health practitioner"),
    ("84%", "of parents surveyed rated their worker as helpful"),
    ("£1.9m", "net saving, 2023-24"),
]

REPORT_BACK_MATTER: list[tuple[str, list[str]]] = [
    (
        "References",
        [
            "Calloway, R. and Bhatt, S. (2023) <i>Family Safeguarding in Hollinbrook: interim report</i>. Marsdale: "
            "Marsdale Institute for Social Care Research.",
            "Hollinbrook City Council (2021) <i>Children's Services Self-Evaluation 2021</i>. Hollinbrook: Hollinbrook "
            "City Council.",
            "Marsdale Institute for Social Care Research (2022) <i>Unit costs for children's social care: technical "
            "guide</i>. Marsdale: University of Marsdale.",
        ],
    ),
    (
        "Appendix: notes on the data",
        [
            "Performance data were supplied by the council's performance team in October 2024. Figures for 2021-22 "
            "to 2023-24 are for financial years ending on 31 March. The number of families worked with is counted "
            "from the workbook and includes every family whose case was open to a Family Safeguarding team for at "
            "least one day.",
            "The staff surveys were sent to all staff in the Family Safeguarding teams, the front door and the "
            "children in care teams. Response rates were 61% in 2022 and 68% in 2024. The case file audit was "
            "carried out by two members of the research team working with the council's quality assurance "
            "officers, who checked a sample of 20 audits for consistency.",
        ],
    ),
]

REPORT_ABOUT = [
    "Dr Ruth Calloway is a senior research fellow at the Marsdale Institute for Social Care Research. Professor "
    "Idris Penhaligon is the Institute's director. Sana Bhatt is a research associate and led the interviews with "
    "parents.",
    "The evaluation was approved by the University of Marsdale's social research ethics committee. We are grateful "
    "to the parents, practitioners and managers who gave their time, and to the council's performance team for "
    "preparing the data.",
]


class _TocLine(Flowable):
    """A contents entry: title, dotted leader, page number."""

    def __init__(self, title: str, page: int, width: float, bold: bool = False):
        super().__init__()
        self.title, self.page_no, self.width, self.bold = title, page, width, bold
        self.height = 17

    def wrap(self, aw, ah):
        return self.width, self.height

    def draw(self):
        c = self.canv
        font = "Helvetica-Bold" if self.bold else "Helvetica"
        c.setFont(font, 10.5)
        c.drawString(0, 4, self.title)
        num = str(self.page_no)
        start = stringWidth(self.title, font, 10.5) + 6
        end = self.width - stringWidth(num, font, 10.5) - 6
        dot = stringWidth(" .", "Helvetica", 10.5)
        c.setFont("Helvetica", 10.5)
        c.drawString(start, 4, " ." * max(0, int((end - start) / dot)))
        c.setFont(font, 10.5)
        c.drawRightString(self.width, 4, num)


class _ReportDoc(BaseDocTemplate):
    def __init__(self, path: str, **kw):
        super().__init__(path, **kw)
        self.seen: dict = {}  # ("h", title) or ("fn", n) -> page it landed on

    def afterFlowable(self, flowable):
        for key in getattr(flowable, "_marks", ()):
            self.seen.setdefault(key, self.page)


def build_report(path: Path) -> None:
    pages: dict = {}
    for _ in range(4):  # until the contents page and the footnotes agree with where things landed
        doc = _build_report_pass(path, pages)
        if doc.seen == pages:
            return
        pages = dict(doc.seen)
    raise RuntimeError("report layout did not settle")


def _footnote_marks(text: str) -> str:
    """Make each footnote number call back when it is drawn, so the note lands on the same page."""
    import re

    return re.sub(r"<super>(\d+)</super>", r'<super>\1</super><onDraw name="fn" label="\1"/>', text)


def _build_report_pass(path: Path, pages: dict) -> _ReportDoc:
    W, H = A4
    margin = 2.0 * cm
    gap = 0.8 * cm
    top = H - 2.4 * cm
    bottom = 1.9 * cm + 2.6 * cm  # room for footnotes above the footer
    col_w = (W - 2 * margin - gap) / 2
    box_h = 8.0 * cm
    body = ParagraphStyle("body", fontName="Times-Roman", fontSize=10.6, leading=13.8, alignment=TA_JUSTIFY,
                          spaceAfter=6)
    h = ParagraphStyle("h", fontName="Helvetica-Bold", fontSize=12, leading=15, spaceBefore=9, spaceAfter=5,
                       textColor=NAVY)

    doc = _ReportDoc(str(path), pagesize=A4, title=f"{REPORT_TITLE}: {REPORT_SUBTITLE.lower()}",
                     author="Ruth Calloway; Idris Penhaligon; Sana Bhatt", subject="Report 2025/03",
                     creator="Marsdale Institute for Social Care Research")

    def head(c, d):
        # footnote markers report the page they are drawn on (a paragraph split across columns keeps no marks)
        c.setNamedCB("fn", lambda canv, kind, label: d.seen.setdefault(("fn", int(label)), d.page))
        c.saveState()
        c.setFont("Helvetica", 8)
        c.setFillColor(NAVY)
        c.drawString(margin, H - 1.45 * cm, REPORT_HEAD_LEFT)
        c.drawRightString(W - margin, H - 1.45 * cm, REPORT_HEAD_RIGHT)
        c.setStrokeColor(GOLD)
        c.setLineWidth(0.8)
        c.line(margin, H - 1.65 * cm, W - margin, H - 1.65 * cm)
        c.restoreState()

    def keyfig_head(c, d):
        head(c, d)
        d.seen.setdefault(("h", "Key figures"), d.page)
        _draw_key_figures(c, margin + col_w + gap, top - box_h, col_w, box_h)

    def foot(c, d):
        c.saveState()
        notes = sorted(n for (kind, n), p in pages.items() if kind == "fn" and p == d.page)
        if notes:
            y = bottom - 0.3 * cm
            c.setStrokeColor(colors.black)
            c.setLineWidth(0.4)
            c.line(margin, y, margin + 4.5 * cm, y)
            y -= 0.1 * cm
            style = ParagraphStyle("fn", fontName="Times-Roman", fontSize=7.6, leading=9.2)
            for n in notes:
                para = Paragraph(f"<super>{n}</super> {REPORT_FOOTNOTES[n]}", style)
                _, ph = para.wrap(W - 2 * margin, 3 * cm)
                y -= ph
                para.drawOn(c, margin, y)
                y -= 0.08 * cm
        c.setStrokeColor(GOLD)
        c.setLineWidth(0.8)
        c.line(margin, 1.55 * cm, W - margin, 1.55 * cm)
        c.setFont("Helvetica", 8)
        c.setFillColor(NAVY)
        c.drawString(margin, 1.05 * cm, REPORT_FOOT)
        c.drawRightString(W - margin, 1.05 * cm, f"Page {d.page}")
        c.restoreState()

    def cover(c, d):
        c.saveState()
        c.setFillColor(NAVY)
        c.rect(0, H - 9.5 * cm, W, 9.5 * cm, fill=1, stroke=0)
        c.setFillColor(GOLD)
        c.rect(0, H - 9.8 * cm, W, 0.3 * cm, fill=1, stroke=0)
        c.setFillColor(NAVY)
        c.setFont("Helvetica", 9)
        c.drawString(margin, 1.6 * cm, "Marsdale Institute for Social Care Research, University of Marsdale, "
                                       "Marsdale MD4 7QX")
        c.restoreState()

    full = Frame(margin, 2.2 * cm, W - 2 * margin, top - 2.2 * cm, id="full")
    left = Frame(margin, bottom, col_w, top - bottom, id="left")
    right = Frame(margin + col_w + gap, bottom, col_w, top - bottom, id="right")
    right_short = Frame(margin + col_w + gap, bottom, col_w, top - bottom - box_h - 0.4 * cm, id="right_short")
    doc.addPageTemplates([
        PageTemplate("cover", frames=[Frame(margin, 3 * cm, W - 2 * margin, H - 4.5 * cm, id="c")], onPage=cover),
        PageTemplate("front", frames=[full], onPage=head, onPageEnd=foot),
        PageTemplate("columns", frames=[left, right], onPage=head, onPageEnd=foot),
        PageTemplate("keyfig", frames=[left, right_short], onPage=keyfig_head, onPageEnd=foot,
                     autoNextPageTemplate="columns"),
    ])

    white = ParagraphStyle("w", fontName="Helvetica", fontSize=11, leading=15, textColor=colors.white)
    story: list = [
        Paragraph("MARSDALE INSTITUTE FOR SOCIAL CARE RESEARCH &nbsp;&nbsp;|&nbsp;&nbsp; REPORT 2025/03", white),
        Spacer(1, 1.0 * cm),
        Paragraph(REPORT_TITLE, ParagraphStyle("t", fontName="Helvetica-Bold", fontSize=30, leading=35,
                                               textColor=colors.white)),
        Spacer(1, 0.3 * cm),
        Paragraph(REPORT_SUBTITLE, ParagraphStyle("st", parent=white, fontSize=16, leading=20)),
        Spacer(1, 4.2 * cm),
        Paragraph("Dr Ruth Calloway, Professor Idris Penhaligon and Sana Bhatt",
                  ParagraphStyle("a", fontName="Helvetica-Bold", fontSize=12, leading=16, textColor=NAVY)),
        Paragraph("January 2025", ParagraphStyle("d", fontName="Helvetica", fontSize=12, leading=16, textColor=NAVY)),
        Spacer(1, 1.2 * cm),
        Paragraph("An independent evaluation of the first two and a half years of Family Safeguarding in "
                  "Hollinbrook, commissioned by Hollinbrook City Council as part of the Strengthening Families, "
                  "Protecting Children programme.",
                  ParagraphStyle("blurb", fontName="Helvetica", fontSize=11, leading=15, textColor=NAVY)),
        NextPageTemplate("front"),
        PageBreak(),
        Paragraph("Contents", ParagraphStyle("ch", parent=h, fontSize=16, leading=20, spaceAfter=14)),
    ]
    toc_w = W - 2 * margin
    for title, _ in REPORT_SECTIONS:
        story.append(_TocLine(title, pages.get(("h", title), 3), toc_w))
    for title, _ in REPORT_BACK_MATTER:
        story.append(_TocLine(title, pages.get(("h", title), 8), toc_w))
    story.append(_TocLine("About the authors", pages.get(("h", "About the authors"), 8), toc_w))
    story.append(Spacer(1, 0.4 * cm))
    story.append(_TocLine("Table 1. Outcome measures, 2021-22 to 2023-24", pages.get(("h", "Table 1"), 5), toc_w))
    story.append(_TocLine("Key figures", pages.get(("h", "Key figures"), 5), toc_w))
    story.append(Spacer(1, 1.0 * cm))
    story.append(Paragraph("How to cite this report", h))
    story.append(Paragraph(
        "Calloway, R., Penhaligon, I. and Bhatt, S. (2025) <i>Family Safeguarding in Hollinbrook: final evaluation "
        "report</i>. Marsdale: Marsdale Institute for Social Care Research, University of Marsdale.", body))
    story.append(Paragraph(
        "The views expressed in this report are those of the authors and not necessarily those of Hollinbrook City "
        "Council or the Department for Education.", body))
    story.append(NextPageTemplate("columns"))
    story.append(PageBreak())

    bullet = ParagraphStyle("b", parent=body, leftIndent=11, bulletIndent=1, spaceAfter=3)
    for title, paras in REPORT_SECTIONS:
        heading = Paragraph(title, h)
        heading._marks = [("h", title)]
        story.append(CondPageBreak(2.6 * cm))
        story.append(heading)
        for text in paras:
            if text == "TABLE":
                story.append(_report_table(col_w))
            elif text == "CASE":
                story.append(_case_box(col_w))
            elif text == "KEYFIGURES_NEXT_PAGE":
                story.append(NextPageTemplate("keyfig"))
            elif text == "BULLETS":
                for item in REPORT_RECOMMENDATIONS:
                    story.append(Paragraph(item, bullet, bulletText="\u2022"))
                story.append(Spacer(1, 4))
            else:
                story.append(Paragraph(_footnote_marks(text), body))
    ref = ParagraphStyle("ref", parent=body, leftIndent=12, firstLineIndent=-12, alignment=0)
    for title, paras in REPORT_BACK_MATTER:
        heading = Paragraph(title, h)
        heading._marks = [("h", title)]
        story.append(CondPageBreak(3 * cm))
        story.append(heading)
        for text in paras:
            story.append(Paragraph(text, ref if title == "References" else body))
    about = Paragraph("About the authors", h)
    about._marks = [("h", "About the authors")]
    story.append(CondPageBreak(3 * cm))
    story.append(about)
    for text in REPORT_ABOUT:
        story.append(Paragraph(text, body))
    doc.build(story)
    return doc


def _report_table(width: float) -> KeepTogether:
    cell = ParagraphStyle("cell", fontName="Helvetica", fontSize=7.8, leading=9.4)
    num = ParagraphStyle("num", parent=cell, alignment=2)
    headc = ParagraphStyle("headc", parent=cell, fontName="Helvetica-Bold", fontSize=7.4, textColor=colors.white)
    headn = ParagraphStyle("headn", parent=headc, alignment=2)
    data = [[Paragraph(REPORT_TABLE[0][0], headc)] + [Paragraph(c, headn) for c in REPORT_TABLE[0][1:]]]
    data += [[Paragraph(row[0], cell)] + [Paragraph(c, num) for c in row[1:]] for row in REPORT_TABLE[1:]]
    rest = width * 0.58
    table = Table(data, colWidths=[width - rest, rest / 3, rest / 3, rest / 3], repeatRows=1)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#eef1f6")]),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("LINEBELOW", (0, -1), (-1, -1), 0.6, NAVY),
    ]))
    caption = Paragraph("<b>Table 1.</b> Outcome measures, Hollinbrook, 2021-22 to 2023-24",
                        ParagraphStyle("cap", fontName="Helvetica", fontSize=8.2, leading=10, spaceAfter=3,
                                       textColor=NAVY))
    caption._marks = [("h", "Table 1")]
    source = Paragraph("Source: Hollinbrook City Council performance data. Rates are per 10,000 children aged under 18.",
                       ParagraphStyle("src", fontName="Helvetica-Oblique", fontSize=7, leading=8.6, spaceBefore=2))
    return KeepTogether([Spacer(1, 2), caption, table, source, Spacer(1, 8)])


def _case_box(width: float) -> KeepTogether:
    title, text = REPORT_CASE
    style = ParagraphStyle("case", fontName="Helvetica", fontSize=8.6, leading=11.2)
    box = Table([[Paragraph(f"<b>{title}</b>", style)], [Paragraph(text, style)]], colWidths=[width])
    box.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#eef1f6")),
        ("LINEBEFORE", (0, 0), (0, -1), 3, NAVY),
        ("LEFTPADDING", (0, 0), (-1, -1), 8),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 7),
    ]))
    return KeepTogether([Spacer(1, 3), box, Spacer(1, 9)])


def _draw_key_figures(c, x: float, y: float, w: float, h: float) -> None:
    """The key-figures box at the top of the right-hand column, beside the running text."""
    c.saveState()
    c.setFillColor(colors.HexColor("#fbf4e2"))
    c.setStrokeColor(GOLD)
    c.setLineWidth(1)
    c.rect(x, y, w, h, fill=1, stroke=1)
    c.setFillColor(NAVY)
    c.rect(x, y + h - 0.8 * cm, w, 0.8 * cm, fill=1, stroke=0)
    c.setFillColor(colors.white)
    c.setFont("Helvetica-Bold", 10.5)
    c.drawString(x + 0.35 * cm, y + h - 0.55 * cm, "Key figures")
    label = ParagraphStyle("kl", fontName="Helvetica", fontSize=8.2, leading=10, textColor=colors.HexColor("#333333"))
    cy = y + h - 1.2 * cm
    for value, text in REPORT_KEY_FIGURES:
        c.setFillColor(NAVY)
        c.setFont("Helvetica-Bold", 15)
        c.drawString(x + 0.35 * cm, cy - 0.45 * cm, value)
        p = Paragraph(text, label)
        _, ph = p.wrap(w - 3.1 * cm, 2 * cm)
        p.drawOn(c, x + 2.75 * cm, cy - 0.05 * cm - ph)
        cy -= max(ph, 0.6 * cm) + 0.55 * cm
    c.restoreState()


# ---------------------------------------------------------------------------------------------------------------
# 2. Slide-deck export with speaker-notes pages (No Wrong Door in Wyvern Vale)
# ---------------------------------------------------------------------------------------------------------------

SLIDE_FOOT = "Regional Adolescent Services Network  |  Wyvern Vale Council  |  9 October 2025"
PLUM = colors.HexColor("#5b2a6e")

# (title, bullets); a slide whose bullets are "CHART" shows the bar chart instead.
DECK: list[tuple[str, list[str]]] = [
    ("No Wrong Door in Wyvern Vale: two years at Harrier House", [
        "Regional Adolescent Services Network, Kingsmoor Conference Centre",
        "Dominic Achterberg, Head of Adolescent Services, Wyvern Vale Council",
        "Priya Lindqvist, Registered Manager, Harrier House",
    ]),
    ("Why No Wrong Door?", [
        "Teenagers were 58% of children entering care in 2021-22",
        "Two thirds of residential placements were outside the county",
        "Young people told us: too many workers, too many moves",
        "North Yorkshire became our partner in practice through SFPC in 2022",
    ]),
    ("What is at Harrier House", [
        "Eight beds: six long-term, two for emergency or respite stays",
        "Outreach team of 14 key workers for young people at home or in foster care",
        "Embedded life coach, communication support worker and clinical psychologist",
        "Police liaison officer based at the hub three days a week",
        "One key worker stays with each young person, wherever they live",
    ]),
    ("Our timeline", [
        "May 2023: Harrier House opens in Thornley Cross",
        "January 2024: outreach team at full strength",
        "September 2024: hub support extended to care leavers up to 21",
        "Spring 2026: Kestrel Lodge, our second hub, opens in Pellworth",
    ]),
    ("Young people supported", ["CHART"]),
    ("Two years in numbers", [
        "Missing episodes down 44% in the first six months with a key worker",
        "Police call-outs to the house down from 61 to 23 a quarter",
        "Only 11 young people needed to come into care long term",
        "£1.8m less spent on external residential placements in 2024-25",
    ]),
    ("What young people say", [
        "\u201cMy key worker didn't give up on me when I kicked off.\u201d",
        "Staying with the same worker matters; being 'handed over' does not",
        "Some wanted more say in house rules: a youth panel now meets monthly",
    ]),
    ("What got in the way", [
        "Ofsted registration took seven months, not three",
        "11 residential vacancies in the first six months",
        "Schools unsure how to refer to the outreach team",
        "No out-of-hours cover for the police liaison role",
    ]),
    ("Next steps, 2025 to 2027", [
        "Open Kestrel Lodge in spring 2026",
        "Train 200 school and college staff in the hub's approach",
        "Add a speech and language therapist to the core team",
        "Independent evaluation by the Gransden Centre, reporting in 2027",
    ]),
    ("Questions?", [
        "What helped your council keep one key worker with each young person?",
        "How do you work with schools on referrals?",
        "Contact: adolescent.services@wyvernvale.example",
    ]),
]

CHART = [("2023-24\n(May to March)", 86), ("2024-25", 143), ("2025-26\n(April to September)", 97)]
CHART_CAPTION = ("Figure 1. Young people supported by Harrier House, by financial year. 2025-26 covers April to "
                 "September only. Source: Wyvern Vale Council case records.")

SPEAKER_NOTES = {
    5: [
        "Talk through the chart. The first year only runs from May, when the house opened.",
        "The jump in 2024-25 is mostly the outreach team: 38 of the young people that year were supported through "
        "outreach only and never stayed at the house.",
        "Demand from the south of the county is the reason we are opening Kestrel Lodge. Around a third of "
        "referrals now come from the Pellworth and Ambridge Moor area.",
        "If asked: the 2025-26 figure is on track to be the highest yet.",
    ],
    8: [
        "Be honest about registration. Ofsted asked for changes to the fire doors and to the emergency bed protocol, "
        "and each change meant another visit.",
        "The delay cost us about £240,000 in staff who were recruited before the house could take young people.",
        "Lesson for others: book the pre-registration visit before the building work finishes.",
        "Schools: we now have a named link worker for each secondary school, which has helped.",
    ],
}


def _draw_slide(c, n: int, title: str, bullets: list[str], W: float, H: float) -> None:
    c.setFillColor(colors.white)
    c.rect(0, 0, W, H, fill=1, stroke=0)
    if n == 1:
        c.setFillColor(PLUM)
        c.rect(0, 0, W, H, fill=1, stroke=0)
        c.setFillColor(colors.white)
        title_style = ParagraphStyle("tt", fontName="Helvetica-Bold", fontSize=38, leading=44, textColor=colors.white)
        p = Paragraph(title, title_style)
        _, ph = p.wrap(W - 4 * cm, H)
        p.drawOn(c, 2 * cm, H - 4.5 * cm - ph)
        y = H - 6 * cm - ph
        c.setFont("Helvetica", 19)
        for b in bullets:
            c.drawString(2 * cm, y, b)
            y -= 1.0 * cm
        c.setFont("Helvetica", 14)
        c.drawString(2 * cm, 1.5 * cm, "9 October 2025")
        return
    c.setFillColor(PLUM)
    c.rect(0, H - 3.2 * cm, W, 3.2 * cm, fill=1, stroke=0)
    c.setFillColor(colors.white)
    c.setFont("Helvetica-Bold", 30)
    c.drawString(1.6 * cm, H - 2.2 * cm, title)
    if bullets == ["CHART"]:
        _chart(W - 10 * cm, H - 9.5 * cm).drawOn(c, 5 * cm, 3.6 * cm)
        cap = Paragraph(CHART_CAPTION, ParagraphStyle("cap", fontName="Helvetica-Oblique", fontSize=13, leading=16,
                                                      textColor=colors.HexColor("#444444")))
        _, ph = cap.wrap(W - 10 * cm, 4 * cm)
        cap.drawOn(c, 5 * cm, 3.2 * cm - ph)
    else:
        style = ParagraphStyle("bul", fontName="Helvetica", fontSize=22, leading=27, leftIndent=0.9 * cm,
                               bulletIndent=0, bulletFontSize=22)
        y = H - 4.8 * cm
        for b in bullets:
            p = Paragraph(b, style, bulletText="\u2022")
            _, ph = p.wrap(W - 3.6 * cm, H)
            y -= ph
            p.drawOn(c, 1.6 * cm, y)
            y -= 0.55 * cm
    c.setFillColor(colors.HexColor("#777777"))
    c.setFont("Helvetica", 10)
    c.drawString(1.6 * cm, 0.8 * cm, SLIDE_FOOT)
    c.drawRightString(W - 1.6 * cm, 0.8 * cm, str(n))


def _chart(w: float, h: float) -> Drawing:
    d = Drawing(w, h)
    base, left = 2.2 * cm, 1.6 * cm
    top = max(v for _, v in CHART)
    d.add(Line(left, base, w, base, strokeColor=colors.HexColor("#555555")))
    for tick in (0, 50, 100, 150):
        ty = base + (h - base - 1 * cm) * tick / 160
        d.add(Line(left, ty, w, ty, strokeColor=colors.HexColor("#dddddd"), strokeWidth=0.5))
        d.add(String(left - 0.3 * cm, ty - 4, str(tick), fontName="Helvetica", fontSize=11, textAnchor="end"))
    slot = (w - left) / len(CHART)
    for i, (label, value) in enumerate(CHART):
        bh = (h - base - 1 * cm) * value / 160
        x = left + i * slot + slot * 0.25
        d.add(Rect(x, base, slot * 0.5, bh, fillColor=PLUM if value == top else colors.HexColor("#a77bb8"),
                   strokeColor=None))
        d.add(String(x + slot * 0.25, base + bh + 6, str(value), fontName="Helvetica-Bold", fontSize=16,
                     textAnchor="middle"))
        for j, part in enumerate(label.split("\n")):
            d.add(String(x + slot * 0.25, base - 0.7 * cm - j * 15, part, fontName="Helvetica", fontSize=12,
                         textAnchor="middle"))
    return d


def build_slides(path: Path) -> None:
    size = landscape((19.05 * cm, 33.867 * cm))  # 16:9
    W, H = size
    c = pdfcanvas.Canvas(str(path), pagesize=size)
    c.setTitle("No Wrong Door in Wyvern Vale: two years at Harrier House")
    c.setAuthor("Wyvern Vale Council")
    for n, (title, bullets) in enumerate(DECK, start=1):
        c.setPageSize(size)
        _draw_slide(c, n, title, bullets, W, H)
        c.showPage()
    # Notes pages, as PowerPoint prints them: portrait, the slide scaled down at the top, the notes below.
    PW, PH = A4
    scale = (PW - 4 * cm) / W
    for n, notes in SPEAKER_NOTES.items():
        c.setPageSize(A4)
        title, bullets = DECK[n - 1]
        c.saveState()
        c.translate(2 * cm, PH - 2 * cm - H * scale)
        c.scale(scale, scale)
        _draw_slide(c, n, title, bullets, W, H)
        c.restoreState()
        c.setStrokeColor(colors.HexColor("#999999"))
        c.rect(2 * cm, PH - 2 * cm - H * scale, W * scale, H * scale, fill=0, stroke=1)
        y = PH - 3.2 * cm - H * scale
        c.setFont("Helvetica-Bold", 12)
        c.setFillColor(colors.black)
        c.drawString(2 * cm, y, f"Speaker notes: slide {n}")
        y -= 0.5 * cm
        style = ParagraphStyle("notes", fontName="Helvetica", fontSize=11, leading=15, spaceAfter=6)
        for text in notes:
            p = Paragraph(text, style)
            _, ph = p.wrap(PW - 4 * cm, PH)
            y -= ph + 6
            p.drawOn(c, 2 * cm, y)
        c.setFont("Helvetica", 9)
        c.setFillColor(colors.HexColor("#777777"))
        c.drawRightString(PW - 2 * cm, 1.2 * cm, str(len(DECK) + list(SPEAKER_NOTES).index(n) + 1))
        c.showPage()
    c.save()


# ---------------------------------------------------------------------------------------------------------------
# 3. Cabinet report (Word): expanding family group conferences (Family Valued in Ketterby)
# ---------------------------------------------------------------------------------------------------------------

def _shade(cell, hex_fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), hex_fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _table(d, rows: list[tuple[str, ...]], *, header: bool = True, bold_last: bool = False, right_from: int = 99):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    t = d.add_table(rows=0, cols=len(rows[0]))
    t.style = "Table Grid"
    for i, row in enumerate(rows):
        cells = t.add_row().cells
        for j, v in enumerate(row):
            cells[j].text = v
            para = cells[j].paragraphs[0]
            if j >= right_from:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            if (header and i == 0) or (bold_last and i == len(rows) - 1):
                for run in para.runs:
                    run.bold = True
            if header and i == 0:
                _shade(cells[j], "D9E2F3")
    return t


def build_cabinet_report(path: Path) -> None:
    from docx import Document
    from docx.shared import Cm, Pt

    d = Document()
    d.core_properties.title = "Family Valued: expanding family group conferences and family network support"
    d.core_properties.author = "Harriet Osei-Mensah"
    d.styles["Normal"].font.name = "Arial"
    d.styles["Normal"].font.size = Pt(11)

    top = d.add_paragraph()
    run = top.add_run("Ketterby Borough Council")
    run.bold = True
    run.font.size = Pt(16)
    d.add_paragraph("Report to Cabinet").runs[0].bold = True

    cover = [
        ("Report title", "Family Valued: expanding family group conferences and family network support, 2025 to 2028"),
        ("Report to", "Cabinet"),
        ("Date of meeting", "15 July 2025"),
        ("Report author", "Harriet Osei-Mensah, Head of Family Help"),
        ("Cabinet member", "Councillor Gareth Penrose, Cabinet Member for Children and Families"),
        ("Key decision", "Yes"),
        ("Wards affected", "All wards"),
        ("Exempt information", "None"),
        ("Report reference", "CAB/25/041"),
    ]
    ct = _table(d, cover, header=False)
    for row in ct.rows:
        row.cells[0].paragraphs[0].runs[0].bold = True
        _shade(row.cells[0], "EDEDED")
        row.cells[0].width = Cm(4.5)
        row.cells[1].width = Cm(11.5)

    def heading(text: str) -> None:
        d.add_heading(text, level=2)

    def para(text: str) -> None:
        p = d.add_paragraph(text)
        p.paragraph_format.left_indent = Cm(1.0)
        p.paragraph_format.first_line_indent = Cm(-1.0)

    def bullets(items: list[str]) -> None:
        for item in items:
            p = d.add_paragraph(item, style="List Bullet")
            p.paragraph_format.left_indent = Cm(1.6)

    heading("1. Purpose of the report")
    para("1.1\tThis report asks Cabinet to approve the expansion of the council's family group conference (FGC) "
         "service and the adoption of the Family Valued approach across all children's services from January 2026.")
    para("1.2\tIt also asks Cabinet to approve a family network support fund and the funding arrangements set out "
         "in section 5.")

    heading("2. Recommendations")
    para("2.1\tCabinet is recommended to:")
    bullets([
        "approve the expansion of the FGC service from 6 to 16 coordinators;",
        "approve the creation of a family network support fund of £600,000 over three years;",
        "approve the transfer of the FGC service from Kinfolk Mediation CIC to the council on 1 April 2026; and",
        "delegate authority to the Director of Children's Services, in consultation with the Cabinet Member for "
        "Children and Families, to agree the detailed implementation plan.",
    ])

    heading("3. Background")
    para("3.1\tKetterby joined the Strengthening Families, Protecting Children programme in April 2024 as one of the "
         "councils adopting Leeds City Council's Family Valued model, with Leeds as its partner in practice.")
    para("3.2\tFamily Valued is built on restorative practice: working with families rather than doing things to "
         "them or for them. Its best-known feature is the routine use of family group conferences, in which the "
         "wider family makes a plan for the child with the help of an independent coordinator.")
    para("3.3\tKetterby has commissioned a small FGC service from Kinfolk Mediation CIC since 2019. Demand has grown "
         "quickly since the council joined the programme: referrals rose from 140 in 2023-24 to 365 in 2024-25 "
         "(Appendix A). With six coordinators, families waited on average 34 working days from referral to "
         "conference in 2024-25, against a target of 20 working days.")
    para("3.4\tKetterby has 418 children in care, a rate of 87 per 10,000 children, compared with 70 per 10,000 for "
         "England. One in five children who came into care in 2024-25 went on to live with a relative or family "
         "friend within a year, which suggests that the wider family could have been involved earlier.")
    para("3.5\tBetween October 2024 and March 2025 the council trained 420 staff in restorative practice, including "
         "colleagues from schools, health visiting and the police.")

    heading("4. Proposal")
    para("4.1\tIt is proposed that, from January 2026, the council:")
    bullets([
        "offers an FGC to every family before an initial child protection conference and before any letter before "
        "proceedings is sent;",
        "offers a family network meeting within 10 working days to children in need where the family agrees;",
        "introduces Lifelong Links for children in care who have lost touch with relatives; and",
        "makes family network support payments of up to £2,000 per family, approved by team managers.",
    ])
    para("4.2\tThe expanded service will be managed within the council's Family Help service. Bringing it in-house "
         "will allow coordinators to be based alongside social work teams and will remove the management fee paid "
         "under the current contract.")
    para("4.3\tThe council will aim to hold 90% of conferences within 20 working days of referral by March 2027.")

    heading("5. Financial implications")
    para("5.1\tThe total cost of the proposal over three years is £3,290,000, as shown in Table 1.")
    d.add_paragraph("Table 1: Family Valued expansion budget, 2025/26 to 2027/28").runs[0].bold = True
    _table(d, [
        ("Item", "2025/26 (£)", "2026/27 (£)", "2027/28 (£)", "Total (£)"),
        ("FGC coordinators (16 FTE from April 2026)", "180,000", "760,000", "780,000", "1,720,000"),
        ("FGC service manager and business support", "40,000", "130,000", "135,000", "305,000"),
        ("Restorative practice training", "150,000", "95,000", "60,000", "305,000"),
        ("Family network support fund", "100,000", "250,000", "250,000", "600,000"),
        ("Lifelong Links", "30,000", "90,000", "90,000", "210,000"),
        ("Independent evaluation", "0", "60,000", "90,000", "150,000"),
        ("Total", "500,000", "1,385,000", "1,405,000", "3,290,000"),
    ], bold_last=True, right_from=1)
    d.add_paragraph("")
    para("5.2\tOf this, £1.4 million will be met from the council's Families First Partnership grant allocation and "
         "£1.89 million from the Children's Services transformation reserve.")
    para("5.3\tThe current contract with Kinfolk Mediation CIC costs £310,000 a year and ends on 31 March 2026.")
    para("5.4\tThe proposal is expected to avoid placement costs of £4.6 million by 2028/29, mainly by reducing the "
         "number of children who need residential or independent fostering placements. These savings have not yet "
         "been built into the medium-term financial plan.")

    heading("6. Legal implications")
    para("6.1\tUnder section 17 of the Children Act 1989 the council must safeguard and promote the welfare of "
         "children in need and, so far as is consistent with that duty, promote their upbringing by their families. "
         "The Public Law Outline expects the wider family to be considered before care proceedings are issued.")
    para("6.2\tThe six coordinators employed by Kinfolk Mediation CIC are expected to transfer to the council under "
         "the Transfer of Undertakings (Protection of Employment) Regulations 2006.")

    heading("7. Risks")
    para("7.1\tThe main risks and how they will be managed are:")
    bullets([
        "Recruitment: the regional market for experienced coordinators is small. The council will recruit in two "
        "waves and train family support workers to become coordinators.",
        "Demand: offering a conference before every child protection conference could double referrals. The offer "
        "will be phased in by locality.",
        "Savings: placement savings may take longer to appear than forecast. The Family Valued programme board will "
        "track family arrangements every quarter.",
    ])

    heading("8. Consultation")
    para("8.1\tFamilies who had an FGC in 2024-25 were surveyed in April 2025. Of the 58 families who replied, 47 "
         "said the conference had helped them make a plan they could stick to. Several said they would have liked a "
         "conference earlier, before the situation reached crisis point.")
    para("8.2\tStaff, the Ketterby Safeguarding Children Partnership and the Children in Care Council have been "
         "consulted. The Children in Care Council asked that every young person be offered an advocate for their "
         "conference; this has been included in the proposal.")

    heading("9. Equality implications")
    para("9.1\tAn equality impact assessment has been completed. The service will recruit coordinators who speak "
         "the borough's most common community languages and will offer conferences in the evenings and at "
         "weekends.")

    heading("10. Background papers")
    para("10.1\tFamily Valued in Ketterby: first year review (Ketterby Borough Council, May 2025).")

    d.add_page_break()
    d.add_heading("Appendix A: Family group conference activity, 2022-23 to 2024-25", level=2)
    _table(d, [
        ("Year", "Referrals", "Conferences held", "Family plans agreed", "Average wait (working days)"),
        ("2022-23", "118", "91", "70", "24"),
        ("2023-24", "140", "112", "88", "27"),
        ("2024-25", "365", "254", "201", "34"),
    ], right_from=1)
    d.add_paragraph("Source: Kinfolk Mediation CIC monitoring returns.")
    d.add_heading("Appendix B: Glossary", level=2)
    bullets([
        "Family group conference (FGC): a meeting, prepared by an independent coordinator, at which the family "
        "makes a plan for the child, including private family time without professionals.",
        "Family network meeting: a shorter meeting, usually led by the social worker, to identify who in the "
        "family network can help.",
        "Lifelong Links: an approach that helps children in care find and rebuild relationships with relatives and "
        "other important adults.",
    ])
    d.save(str(path))


# ---------------------------------------------------------------------------------------------------------------
# 4. Saved web page: a charity's news article with its site furniture (kinship care in Stanmere)
# ---------------------------------------------------------------------------------------------------------------

STANMERE_HTML = """<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Stanmere raises kinship allowance and opens new Kinship Hub | Stanmere Kinship Carers' Network</title>
<meta name="description" content="Kinship carers in Stanmere will get a higher, age-related weekly allowance from June 2025, and a new Kinship Hub has opened in Bellfield.">
<link rel="canonical" href="https://www.stanmerekinship.org.uk/news/2025/04/stanmere-raises-kinship-allowance-new-kinship-hub/">
<meta property="og:site_name" content="Stanmere Kinship Carers' Network">
<meta property="og:type" content="article">
<meta property="og:title" content="Stanmere raises kinship allowance and opens new Kinship Hub">
<meta property="og:description" content="A higher, age-related weekly allowance for special guardians and child arrangements order carers, and a drop-in hub at Bellfield Community Library.">
<meta property="og:url" content="https://www.stanmerekinship.org.uk/news/2025/04/stanmere-raises-kinship-allowance-new-kinship-hub/">
<meta property="og:image" content="https://www.stanmerekinship.org.uk/wp-content/uploads/2025/04/kinship-hub-opening-1200x630.jpg">
<meta property="article:published_time" content="2025-04-22T09:30:00+01:00">
<meta property="article:modified_time" content="2025-04-24T14:05:12+01:00">
<meta property="article:author" content="Lydia Marchetti">
<meta property="article:section" content="News">
<meta property="article:tag" content="kinship allowance">
<meta property="article:tag" content="special guardianship">
<meta name="twitter:card" content="summary_large_image">
<link rel="stylesheet" href="/wp-content/themes/skcn-2023/style.min.css?ver=3.4.1">
<link rel="icon" href="/wp-content/uploads/2023/01/favicon-32x32.png" sizes="32x32">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"Stanmere raises kinship allowance and opens new Kinship Hub","datePublished":"2025-04-22T09:30:00+01:00","dateModified":"2025-04-24T14:05:12+01:00","author":{"@type":"Person","name":"Lydia Marchetti"},"publisher":{"@type":"Organization","name":"Stanmere Kinship Carers' Network"}}</script>
<script>window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('consent','default',{'analytics_storage':'denied'});</script>
</head>
<body class="post-template-default single single-post postid-4127 single-format-standard">
<a class="skip-link screen-reader-text" href="#main">Skip to content</a>

<div id="cookie-notice" class="cookie-banner" role="dialog" aria-live="polite" aria-label="Cookies on this website">
  <div class="cookie-banner__inner">
    <h2 class="cookie-banner__title">We use cookies on this website</h2>
    <p>We use essential cookies to make our site work. With your permission we would also like to set analytics cookies
    to understand how you use the site, and marketing cookies from our fundraising partners. Analytics cookies are kept
    for up to 13 months.</p>
    <button type="button" class="btn btn--primary" id="cookie-accept">Accept all cookies</button>
    <button type="button" class="btn btn--secondary" id="cookie-reject">Reject non-essential cookies</button>
    <a href="/cookie-policy/" class="cookie-banner__link">Cookie settings</a>
  </div>
</div>

<header class="site-header" role="banner">
  <div class="site-header__top">
    <span class="site-header__phone">Advice line: <a href="tel:01614960800">0161 496 0800</a> (Mon to Fri, 9am to 5pm)</span>
    <a class="site-header__donate btn" href="/donate/">Donate</a>
    <form class="site-search" role="search" action="/"><label for="s" class="screen-reader-text">Search</label>
      <input type="search" id="s" name="s" placeholder="Search this site"><button type="submit">Search</button></form>
  </div>
  <a class="site-logo" href="/" rel="home"><img src="/wp-content/uploads/2023/01/skcn-logo.svg" alt="Stanmere Kinship Carers' Network home"></a>
  <nav class="main-navigation" aria-label="Main menu">
    <ul id="primary-menu" class="menu">
      <li class="menu-item"><a href="/">Home</a></li>
      <li class="menu-item menu-item-has-children"><a href="/about-us/">About us</a>
        <ul class="sub-menu">
          <li><a href="/about-us/our-story/">Our story</a></li>
          <li><a href="/about-us/trustees/">Trustees and staff</a></li>
          <li><a href="/about-us/annual-report-2024/">Annual report 2024</a></li>
        </ul>
      </li>
      <li class="menu-item menu-item-has-children"><a href="/get-support/">Get support</a>
        <ul class="sub-menu">
          <li><a href="/get-support/advice-line/">Advice line</a></li>
          <li><a href="/get-support/peer-groups/">Peer support groups</a></li>
          <li><a href="/get-support/money-and-benefits/">Money and benefits</a></li>
          <li><a href="/get-support/legal-orders/">Legal orders explained</a></li>
        </ul>
      </li>
      <li class="menu-item"><a href="/kinship-carers-guide/">Kinship carers' guide</a></li>
      <li class="menu-item"><a href="/training-and-events/">Training and events</a></li>
      <li class="menu-item current-menu-item"><a href="/news/" aria-current="page">News</a></li>
      <li class="menu-item"><a href="/get-involved/">Get involved</a></li>
      <li class="menu-item"><a href="/contact/">Contact</a></li>
    </ul>
  </nav>
</header>

<nav class="breadcrumbs" aria-label="Breadcrumb">
  <ol>
    <li><a href="/">Home</a></li>
    <li><a href="/news/">News</a></li>
    <li><a href="/news/2025/">2025</a></li>
    <li aria-current="page">Stanmere raises kinship allowance and opens new Kinship Hub</li>
  </ol>
</nav>

<div class="site-content">
<main id="main" class="content-area">
<article id="post-4127" class="post-4127 post type-post status-publish hentry category-news tag-kinship-allowance">
  <header class="entry-header">
    <h1 class="entry-title">Stanmere raises kinship allowance and opens new Kinship Hub</h1>
    <div class="entry-meta">
      <span class="posted-on">Posted on <time class="entry-date published" datetime="2025-04-22T09:30:00+01:00">22 April 2025</time><time class="updated" datetime="2025-04-24T14:05:12+01:00">24 April 2025</time></span>
      <span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/lmarchetti/">Lydia Marchetti</a></span></span>
      <span class="cat-links"> in <a href="/news/" rel="category tag">News</a></span>
      <span class="reading-time">4 minute read</span>
    </div>
  </header>
  <figure class="wp-block-image size-large"><img src="/wp-content/uploads/2025/04/kinship-hub-opening-1024x576.jpg" alt="Kinship carers and children at the opening of the Kinship Hub in Bellfield" width="1024" height="576">
    <figcaption>Carers and children at the opening of the Kinship Hub in Bellfield. Photo: Stanmere Kinship Carers' Network</figcaption></figure>
  <div class="entry-content">
    <p class="lead">Kinship carers in Stanmere will receive a higher weekly allowance from 2 June 2025, after Stanmere Metropolitan Borough Council's cabinet agreed a new kinship care policy on 15 April 2025.</p>
    <p>Until now the council paid special guardians and carers with a child arrangements order a flat allowance of £96 a week per child, whatever the child's age. Under the new policy the allowance will be paid at the same rates as the council's fostering allowance, which rise with the child's age. The allowance is still means-tested, but the council has raised the income threshold so that more families qualify.</p>
    <figure class="wp-block-table">
      <table>
        <caption>Weekly kinship allowance per child from 2 June 2025</caption>
        <thead><tr><th scope="col">Age of child</th><th scope="col">Weekly allowance</th></tr></thead>
        <tbody>
          <tr><td>0 to 4</td><td>£168</td></tr>
          <tr><td>5 to 10</td><td>£186</td></tr>
          <tr><td>11 to 15</td><td>£212</td></tr>
          <tr><td>16 and 17</td><td>£247</td></tr>
        </tbody>
      </table>
    </figure>
    <p>The council estimates that around 520 kinship households will be better off, by an average of £4,900 a year. The change will cost £2.6 million a year, which the council says it will meet partly by reducing the number of children who need to come into care.</p>
    <p>The new policy is part of Stanmere's Family Valued programme. Stanmere adopted Leeds' Family Valued model in 2024 through the Strengthening Families, Protecting Children programme, and has since held family group conferences for more than 300 families. Many of those conferences ended with a grandparent, aunt or older brother or sister offering to care for a child.</p>
    <h2>A new Kinship Hub in Bellfield</h2>
    <p>The council has also opened a Kinship Hub at Bellfield Community Library, run jointly with the Network. Carers can drop in on Tuesdays from 10am to 2pm and on Thursday evenings from 5pm to 8pm for advice on benefits, school admissions and legal orders, or simply to meet other carers. Every carer who takes on a child under a special guardianship order will also be offered up to six hours of free independent legal advice, paid for by the council.</p>
    <p>Our chair, Maureen Okonjo-Hart, who has cared for her two grandchildren since 2019, said:</p>
    <blockquote class="wp-block-quote"><p>"For years kinship carers in Stanmere have been told they are saving the council money while struggling to pay for school shoes. This decision recognises what we do. We will keep pushing for the same support for carers who have no legal order at all."</p></blockquote>
    <p>Councillor Ravi Dhaliwal, Stanmere's cabinet member for children and families, said: "Children do best when they can stay with people who know and love them. Kinship carers should not be worse off for stepping in."</p>
    <h2>What happens next</h2>
    <ul>
      <li>Carers who already receive the allowance do not need to apply again: the new rate will be paid automatically from 2 June 2025.</li>
      <li>Carers who were refused the allowance before may reapply from 1 May 2025 using the council's online form.</li>
      <li>Informal kinship carers, who have no legal order, are not covered by the new policy. The council has promised to review their support by March 2026.</li>
    </ul>
    <p>If you are a kinship carer in Stanmere and are not sure whether you qualify, our advisers can help you check. Call the Kinship Hub team on 0161 496 0815 or drop in during opening hours.</p>
  </div>
  <footer class="entry-footer">
    <span class="tags-links">Tags: <a href="/tag/kinship-allowance/" rel="tag">kinship allowance</a>, <a href="/tag/special-guardianship/" rel="tag">special guardianship</a>, <a href="/tag/stanmere-council/" rel="tag">Stanmere Council</a></span>
    <div class="share-buttons">Share this: <a href="https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fwww.stanmerekinship.org.uk%2Fnews%2F2025%2F04%2Fstanmere-raises-kinship-allowance-new-kinship-hub%2F">Facebook</a> <a href="https://x.com/intent/post?url=https%3A%2F%2Fwww.stanmerekinship.org.uk%2Fnews%2F2025%2F04%2Fstanmere-raises-kinship-allowance-new-kinship-hub%2F">X</a> <a href="mailto:?subject=Stanmere%20raises%20kinship%20allowance">Email</a></div>
  </footer>
  <nav class="post-navigation" aria-label="Posts">
    <div class="nav-previous"><a href="/news/2025/03/grandparents-day-tea-party/" rel="prev"><span class="meta-nav">Previous post</span> Grandparents' tea party raises £1,150 for peer groups</a></div>
    <div class="nav-next"><a href="/news/2025/05/summer-activity-grants/" rel="next"><span class="meta-nav">Next post</span> Summer activity grants now open for kinship families</a></div>
  </nav>
</article>
</main>

<aside id="secondary" class="widget-area" aria-label="Sidebar">
  <section class="widget widget_recent_entries">
    <h2 class="widget-title">Related news</h2>
    <ul>
      <li><a href="/news/2025/07/summer-picnic-bellfield-park/">Kinship carers' summer picnic returns to Bellfield Park</a> <span class="post-date">3 July 2025</span></li>
      <li><a href="/news/2025/01/therapeutic-parenting-training-grandparents/">Free training: therapeutic parenting for grandparents</a> <span class="post-date">28 January 2025</span></li>
      <li><a href="/news/2024/12/response-national-kinship-care-strategy/">Our response to the national kinship care strategy</a> <span class="post-date">12 December 2024</span></li>
      <li><a href="/news/2024/10/kinship-care-week-2024/">Kinship Care Week 2024: 40 families at our Ketley Green fun day</a> <span class="post-date">7 October 2024</span></li>
    </ul>
  </section>
  <section class="widget widget_nav_menu">
    <h2 class="widget-title">Useful guides</h2>
    <ul>
      <li><a href="/get-support/money-and-benefits/kinship-allowance/">Kinship allowance: what you can claim</a></li>
      <li><a href="/get-support/legal-orders/special-guardianship/">Special guardianship orders explained</a></li>
      <li><a href="/get-support/legal-orders/child-arrangements/">Child arrangements orders explained</a></li>
      <li><a href="https://www.stanmere.example.gov.uk/kinship-care">Stanmere Council: kinship care</a></li>
    </ul>
  </section>
  <section class="widget widget_text newsletter">
    <h2 class="widget-title">Stay in touch</h2>
    <p>Join 2,300 kinship carers who get our monthly newsletter.</p>
    <form action="/newsletter/" method="post"><label for="nl-email">Email address</label><input id="nl-email" type="email" name="email"><button type="submit">Sign up</button></form>
  </section>
  <section class="widget widget_text donate">
    <h2 class="widget-title">Support our work</h2>
    <p>£15 a month could pay for a peer support session for ten carers.</p>
    <a class="btn" href="/donate/">Donate now</a>
  </section>
</aside>
</div>

<footer class="site-footer" role="contentinfo">
  <div class="site-footer__cols">
    <div><h2>Contact us</h2><p>Stanmere Kinship Carers' Network<br>Unit 4, Marlowe Court, Bellfield Road, Stanmere SM2 7QT</p>
      <p>Office: 0161 496 0800<br>Email: hello@stanmerekinship.org.uk</p></div>
    <div><h2>Opening hours</h2><p>Office and advice line: Monday to Friday, 9am to 5pm. Closed on bank holidays.</p></div>
    <div><h2>Follow us</h2><ul><li><a href="https://www.facebook.com/stanmerekinship">Facebook</a></li><li><a href="https://www.instagram.com/stanmerekinship">Instagram</a></li></ul></div>
  </div>
  <ul class="footer-menu">
    <li><a href="/privacy-notice/">Privacy notice</a></li>
    <li><a href="/accessibility/">Accessibility statement</a></li>
    <li><a href="/cookie-policy/">Cookies</a></li>
    <li><a href="/safeguarding-policy/">Safeguarding policy</a></li>
    <li><a href="/sitemap/">Sitemap</a></li>
  </ul>
  <p class="site-footer__legal">&copy; 2025 Stanmere Kinship Carers' Network. Registered charity number 1187654. A company limited by guarantee, registered in England and Wales, number 11234567.</p>
</footer>
<script src="/wp-content/themes/skcn-2023/js/navigation.min.js?ver=3.4.1"></script>
<script src="/wp-content/plugins/cookie-notice/js/front.min.js?ver=2.4.16"></script>
</body>
</html>
"""


def build_news_page(path: Path) -> None:
    path.write_text(STANMERE_HTML, encoding="utf-8")


# ---------------------------------------------------------------------------------------------------------------
# 5. Practice guidance (Word): group case supervision in Family Safeguarding teams (workforce, Ashgrove)
# ---------------------------------------------------------------------------------------------------------------

def build_guidance(path: Path) -> None:
    from docx import Document
    from docx.shared import Pt

    d = Document()
    d.core_properties.title = "Practice Guidance PG-27: Group case supervision in Family Safeguarding teams"
    d.core_properties.author = "Ashgrove County Council, Children and Families Service"
    d.styles["Normal"].font.name = "Calibri"
    d.styles["Normal"].font.size = Pt(11)

    d.add_heading("Practice Guidance PG-27: Group case supervision in Family Safeguarding teams", level=0)
    d.add_paragraph("Ashgrove County Council, Children and Families Service. Version 1.3, issued September 2025. "
                    "Owner: Principal Social Worker. Next review: September 2026.")

    box = d.add_table(rows=1, cols=1)
    box.style = "Table Grid"
    cell = box.rows[0].cells[0]
    _shade(cell, "E2EFD9")
    cell.paragraphs[0].add_run("Key facts").bold = True
    for fact in [
        "Every Family Safeguarding team holds group case supervision every four weeks.",
        "A session lasts no more than two and a half hours and discusses up to five families.",
        "A family on a child protection plan must be discussed at least every eight weeks.",
        "A session can only go ahead if at least one adult practitioner attends.",
        "Notes go on the child's record within three working days.",
    ]:
        cell.add_paragraph(fact, style="List Bullet")
    d.add_paragraph("")

    d.add_heading("1. Purpose and scope", level=1)
    d.add_paragraph(
        "This guidance sets out how group case supervision works in Ashgrove's 11 Family Safeguarding teams. It "
        "applies to team managers, social workers, family support workers and the adult practitioners (mental "
        "health, domestic abuse and substance misuse workers) who are members of those teams.")
    d.add_paragraph(
        "Ashgrove adopted Family Safeguarding in 2023, with Hertfordshire as its partner in practice through the "
        "Strengthening Families, Protecting Children programme. Group case supervision replaced most individual case "
        "supervision in child protection work from March 2024. Every practitioner continues to have individual "
        "professional supervision every six weeks, which covers their development and wellbeing rather than "
        "decisions about families.")

    d.add_heading("2. Who attends", level=1)
    for item in [
        "the team manager, who chairs the session;",
        "the social workers and family support workers whose families are being discussed;",
        "at least one adult practitioner, and ideally one from each discipline;",
        "student social workers and newly qualified social workers, who may observe any discussion.",
    ]:
        d.add_paragraph(item, style="List Bullet")
    d.add_paragraph(
        "Parents do not attend, but the social worker must tell them beforehand that their family will be discussed "
        "and ask what they would like the group to know.")

    d.add_heading("3. Preparing for a session: step by step", level=1)
    for item in [
        "The team manager publishes the list of families to be discussed at least five working days before the "
        "session.",
        "The social worker updates the family's workbook, including the parental assessment and the latest scaling "
        "scores, no later than two working days before the session.",
        "The social worker asks the parents what they want the group to know and records their views in the "
        "workbook in their own words.",
        "Each adult practitioner reads the workbook and notes their view of risk and progress for any parent they "
        "are working with.",
        "Where a family has made no progress over two sessions in a row, the team manager invites the Family "
        "Safeguarding Practice Lead to the next session.",
    ]:
        d.add_paragraph(item, style="List Number")

    d.add_heading("4. During the session", level=1)
    d.add_paragraph(
        "Each family discussion should take no more than 25 minutes and follows the same structure. The social "
        "worker summarises the family's situation in no more than five minutes; each adult practitioner then gives "
        "their view; the group agrees a scaling score from 0 to 10 for the child's safety; and the group agrees up to "
        "three actions, each with a named person and a date. The chair closes each discussion by reading the "
        "actions back.")
    d.add_paragraph(
        "The group uses the language of motivational interviewing when it talks about parents. Practitioners "
        "should describe what a parent has said about change, not only what they have or have not done.")

    d.add_heading("5. Recording", level=1)
    d.add_paragraph(
        "The chair records the discussion on the group supervision form in the workbook. The record must show who "
        "attended, the scaling score, the actions agreed and the reasons for any decision. It must be on the child's "
        "record within three working days of the session.")

    d.add_heading("6. Motivational interviewing standards", level=1)
    d.add_paragraph(
        "Every member of a Family Safeguarding team must complete the four-day motivational interviewing foundation "
        "course within six months of starting. Team managers also complete a two-day course on chairing group case "
        "supervision. Twice a year, each practitioner submits an audio recording of a conversation with a parent, "
        "made with the parent's consent, for feedback from one of the council's motivational interviewing coaches.")

    d.add_heading("7. When a session cannot go ahead", level=1)
    d.add_paragraph(
        "If no adult practitioner can attend, or more than half the team is absent, the team manager must "
        "rearrange the session within ten working days. Where a decision about a family cannot wait, the team "
        "manager holds individual case supervision with the social worker on the same day, and the family is "
        "discussed at the next group session.")

    d.add_heading("8. Contacts", level=1)
    _table(d, [
        ("Role", "Name", "Telephone", "Email"),
        ("Principal Social Worker", "Oluwaseun Pryce", "01632 961204", "psw@ashgrove.example.gov.uk"),
        ("Family Safeguarding Practice Lead", "Ben Halloran", "01632 961267", "fs.practicelead@ashgrove.example.gov.uk"),
        ("Workforce Development Team (motivational interviewing course bookings)", "Training coordinator",
         "01632 961330", "cf.workforce@ashgrove.example.gov.uk"),
        ("Workbook helpdesk", "-", "01632 961411", "workbook.support@ashgrove.example.gov.uk"),
        ("Adult mental health practitioners' line manager", "Dr Keziah Morland, Ashgrove Mental Health Partnership",
         "01632 961589", "k.morland@amhp.example.nhs.uk"),
    ])
    d.add_paragraph("")
    d.add_paragraph("This guidance should be read with the Family Safeguarding practice handbook and the Ashgrove "
                    "supervision policy.")
    d.save(str(path))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    build_report(OUT / "hollinbrook-family-safeguarding-evaluation-report.pdf")
    build_slides(OUT / "wyvern-vale-no-wrong-door-slides.pdf")
    build_cabinet_report(OUT / "ketterby-cabinet-report-family-group-conferences.docx")
    build_news_page(OUT / "stanmere-kinship-allowance-news.html")
    build_guidance(OUT / "ashgrove-group-supervision-practice-guidance.docx")
    for p in sorted(OUT.iterdir()):
        print(p.name, p.stat().st_size)


if __name__ == "__main__":
    main()
