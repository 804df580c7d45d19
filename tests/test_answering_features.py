"""Features of a (question, unit) pair, one by one: each says what a practitioner would check in a quote."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from kb.answering.features import (
    FEATURE_NAMES,
    Mentions,
    Pair,
    complete_rows,
    feature_matrix,
    figure_of_measure,
    focus_related_in_unit,
    has_kind,
    lacks_strict_kind,
    lead_in_for_no_count,
    looks_like_link_or_menu,
    measure_without_figure,
    names_asked_noun,
    names_missing_around,
    pair,
    question_figures_missing,
    subject_missing_around,
    words_across_clauses,
)
from kb.answering.model import load_model
from kb.answering.question import analyse
from kb.answering.units import Unit
from kb.word_vectors import closeness


def unit(text: str, **fields: object) -> Unit:
    plain = Unit(passage=0, position=0, lines=(text,), text=text, context="", heading="", speaker=None, vectors=(0,))
    return replace(plain, **fields)  # type: ignore[arg-type]


def pair_of(question: str, text: str, **unit_fields: object) -> Pair:
    intent = analyse(question)
    return pair(
        intent,
        unit(text, **unit_fields),
        relevance=0.5,
        passage_rank=0,
        passage_cosine=0.5,
        mentions=Mentions(intent, set(), lambda _: 1.0),
        word_weight=lambda _: 1.0,
        evidence=0.5,
        unknown_names=0,
    )


def test_a_clause_number_is_not_a_figure() -> None:
    intent = analyse("How many practitioners did the council recruit?")
    assert not has_kind("number", "2.2 Social workers now work alongside adult practitioners.", intent)
    assert has_kind("number", "2.2 The council recruited 14 adult practitioners.", intent)


def test_a_figure_that_opens_a_sentence_is_not_a_clause_number() -> None:
    intent = analyse("How many children had been safely reunified from care?")
    assert has_kind("number", "38 children had been safely reunified with family from care.", intent)


def test_how_many_asks_for_a_count_not_an_age_a_date_a_duration_or_a_sum() -> None:
    kept = analyse("How many young people did the service keep out of care in its first year?")
    assert not has_kind("number", "In its first year the service supported young people aged 12 to 17.", kept)
    assert has_kind("number", "In its first year it kept 30 young people out of care.", kept)
    reviews = analyse("How many reviews were held during the pilot?")
    assert not has_kind("number", "The council ran a six-month pilot between 9 November 2020 and 9 May 2021.", reviews)
    assert not has_kind("number", "The pilot in 2020-21 was funded with £250,000.", reviews)
    assert has_kind("number", "Twelve reviews were held during the pilot.", reviews)
    # A question that counts days or money is not a count of things: its durations and sums answer it.
    assert has_kind("number", "Staff went on a 3-day course.", analyse("How many days of training do staff get?"))
    assert has_kind("number", "It was awarded £4.85m.", analyse("How much was the council awarded?"))


def test_a_financial_year_is_one_figure_however_it_is_written() -> None:
    question = "How many homes judged inadequate improved in 2016-17?"
    assert question_figures_missing(pair_of(question, "In 2016 to 2017, 85 per cent of those homes improved.")) == 0.0
    assert question_figures_missing(pair_of(question, "In 2016/17, 85 per cent of those homes improved.")) == 0.0
    assert question_figures_missing(pair_of(question, "In 2016–17, 85 per cent of those homes improved.")) == 0.0
    assert question_figures_missing(pair_of(question, "At 30 September 2016, 81 per cent of homes were good.")) == 1.0
    assert question_figures_missing(pair_of(question, "In 2017 to 2018, 80 per cent of those homes improved.")) == 1.0


def test_a_yes_no_questions_figure_is_the_claim_checked_but_its_year_must_be_there() -> None:
    claim = "Did Leeds hold more than 600 conferences in 2016?"
    assert question_figures_missing(pair_of(claim, "In 2016 Leeds held 612 family group conferences.")) == 0.0
    assert question_figures_missing(pair_of(claim, "In 2015 Leeds held 612 family group conferences.")) == 1.0
    wait = "do i have to wait 24 hrs before reporting a young person missing"
    assert question_figures_missing(pair_of(wait, "Do not wait a set number of hours if you are worried.")) == 0.0
    # Asked, not checked: "how many" still needs the figures it gives.
    asked = "How many of the 600 conferences were held in 2016?"
    assert question_figures_missing(pair_of(asked, "In 2016 Leeds held 612 family group conferences.")) == 0.5


def test_a_figure_must_be_bound_to_the_measure_asked_for() -> None:
    question = "How many beds does the hub have?"
    assert figure_of_measure(pair_of(question, "The hub has 12 beds for young people.")) == 1.0
    assert figure_of_measure(pair_of(question, "Beds: 12")) == 1.0
    near_miss = pair_of(question, "The council recruited a 21-member specialist team to work from the hub.")
    assert figure_of_measure(near_miss) == 0.0 and measure_without_figure(near_miss) == 1.0
    # "What share" asks for the figure itself: any percentage answers it.
    assert (
        figure_of_measure(pair_of("What share of young people would turn to their worker first?", "50% of young people said so."))
        == 1.0
    )


def test_the_counted_thing_ends_before_the_verb_and_money_is_any_sum() -> None:
    took_part = "How many local authorities took part in the trial?"
    assert figure_of_measure(pair_of(took_part, "Setting: 21 local authorities in England")) == 1.0
    attended = "How many staff attended the sessions?"
    assert figure_of_measure(pair_of(attended, "Nearly 200 staff went on the course.")) == 1.0
    money = "How much SFPC money did Newcastle get?"
    assert figure_of_measure(pair_of(money, "The work is supported by £3.1m from the programme.")) == 1.0
    assert measure_without_figure(pair_of(money, "The work is supported by the programme in 12 teams.")) == 1.0
    # "How much was the bonus?", "How much does Ofsted charge?": a sum answers, not "three months' leave".
    bonus = "How much was the retention bonus in the 2014 strategy?"
    assert measure_without_figure(pair_of(bonus, "It offered a retention bonus and three months' leave.")) == 1.0
    assert measure_without_figure(pair_of(bonus, "It offered a retention bonus of £2,000.")) == 0.0
    charge = pair_of("How much does Ofsted charge to register a provider?", "Ofsted registers providers from 28 October 2023.")
    assert measure_without_figure(charge) == 1.0
    from kb.answering.refusal import missing_from

    assert missing_from(charge) == "the passages found give no figure in pounds for charge"


def test_a_count_of_people_is_any_figure_of_people_and_never_a_sum_of_money() -> None:
    trained = "How many people did the council train in restorative practice?"
    assert figure_of_measure(pair_of(trained, "It trained 6,500 social workers and other professionals.")) == 1.0
    # People are named nearly everywhere: a figure elsewhere in the unit does not count them.
    elsewhere = pair_of(trained, "Children's services were judged good in 2021 after 3 visits by inspectors.")
    assert measure_without_figure(elsewhere) == 1.0
    # So are a service's staff: "11 teams" does not count the practitioners named further on.
    practitioners = "How many adult practitioners work in Ashgrove's teams?"
    teams = "It covers Ashgrove's 11 teams. It applies to social workers and the adult practitioners."
    assert measure_without_figure(pair_of(practitioners, teams)) == 1.0
    assert figure_of_measure(pair_of(practitioners, "Ashgrove's teams include 27 adult practitioners.")) == 1.0
    homes = "How many children's homes does the council run itself?"
    assert measure_without_figure(pair_of(homes, "Children's home places could cost £3,000 to £3,500 a week.")) == 1.0
    assert figure_of_measure(pair_of(homes, "The council runs 4 children's homes.")) == 1.0


def test_the_number_of_a_measure_is_counted_by_a_figure_further_on_in_its_clause() -> None:
    asked = "How many beds does the hub have?"
    assert figure_of_measure(pair_of(asked, "Its plan put the number of beds across both hubs at 12.")) == 1.0
    # A figure in the next sentence does not count them (the measure and a figure apart).
    apart = "Its plan set out the number of beds needed in the county. Staff ran 12 sessions."
    assert figure_of_measure(pair_of(asked, apart)) == 0.5
    attended = "How many people attended the learning week?"
    assert figure_of_measure(pair_of(attended, "The week brought together more than 270 representatives.")) == 1.0


def test_an_abbreviated_measure_is_counted_as_what_it_stands_for() -> None:
    held = "How many FGCs did Leeds hold in 2016?"
    assert figure_of_measure(pair_of(held, "Leeds held more than 600 conferences in 2016.")) == 1.0


def test_an_age_is_read_the_way_a_story_tells_it() -> None:
    intent = analyse("How old was she when she moved in with her foster family?")
    assert has_kind("age", "She has lived with the same family for ten years, since she was 11.", intent)
    assert not has_kind("age", "The rate was 30 per cent in 2022.", intent)


def test_an_abbreviation_is_found_spelled_out() -> None:
    question = "What did the RCSLT say about young people in youth justice?"
    spelled = "The Royal College of Speech and Language Therapists puts the share at 60 per cent."
    assert names_missing_around(pair_of(question, spelled)) == 0.0
    assert names_missing_around(pair_of("How many FGCs did Leeds hold?", "Leeds held 600 family group conferences.")) == 0.0
    assert names_missing_around(pair_of(question, "The college puts the share at 60 per cent.")) == 1.0


def test_a_unit_without_the_council_asked_about_is_shut_but_one_without_a_lesser_name_only_weighs() -> None:
    question = "How many young people did Middlesbrough's Pathways team support?"
    council_only = pair_of(question, "Middlesbrough's team supported 40 young people in its first year.")
    assert names_missing_around(council_only) == 0.5  # weighs against it
    assert subject_missing_around(council_only) == 0.0  # but does not shut it
    assert subject_missing_around(pair_of(question, "The Pathways team supported 40 young people.")) == 1.0
    assert subject_missing_around(pair_of(question, "The team supported 40 young people.")) == 1.0
    lesser = "How long did the Pathways and Lighthouse teams work together?"  # no council or model: every name missing shuts
    assert subject_missing_around(pair_of(lesser, "The Pathways team worked with them for a year.")) == 0.0
    assert subject_missing_around(pair_of(lesser, "The teams worked together for a year.")) == 1.0


def test_a_place_the_passages_call_a_council_is_a_subject_like_a_listed_council() -> None:
    """"Harrowfield" is on no list of councils, but the passages call it "Harrowfield Borough Council": a unit about
    another council's launch ("Walsall launched Family Safeguarding in ...") is shut, as it would be for Leeds."""
    question = "When did Harrowfield launch Family Safeguarding?"
    as_council = replace(analyse(question), councils=frozenset({"harrowfield"}))  # as read_candidates adds it
    mentions = Mentions(as_council, set(), lambda _: 1.0)
    common = dict(relevance=0.5, passage_rank=0, passage_cosine=0.5, word_weight=lambda _: 1.0, evidence=0.5, unknown_names=0)
    other = pair(as_council, unit("Walsall launched Family Safeguarding in September 2020."), mentions=mentions, **common)  # type: ignore[arg-type]
    launched = unit("It went live across Harrowfield on 4 September 2023.", context="It has launched Family Safeguarding.")
    own = pair(as_council, launched, mentions=mentions, **common)  # type: ignore[arg-type]
    assert subject_missing_around(other) == 1.0 and subject_missing_around(own) == 0.0
    # Named only in the question, it stays a lesser name: a unit without it is weighed, not shut.
    assert subject_missing_around(pair_of(question, "Walsall launched Family Safeguarding in September 2020.")) == 0.0
    # A unit that names it beside a listed council is about it too, not about another council only.
    from kb.answering.features import about_another

    beside = "The model, first developed by Hertfordshire County Council, went live across Harrowfield on 4 September 2023."
    assert not about_another(as_council, beside)
    assert about_another(as_council, "Hertfordshire County Council launched the model in 2015.")


def test_the_year_a_question_gives_must_be_there() -> None:
    question = "How many family group conferences did the council hold in 2022?"
    assert question_figures_missing(pair_of(question, "The council held 600 conferences in 2019.")) == 1.0
    assert question_figures_missing(pair_of(question, "In 2022 the council held 612 conferences.")) == 0.0
    # A figure is read whole, whatever is written after it: "£11.6m" gives 11.6, found in "£11.6 million".
    grant = "Which councils shared the £11.6m grant with Bracknell Forest?"
    assert question_figures_missing(pair_of(grant, "A grant of £11.6 million was awarded to five councils.")) == 0.0
    assert question_figures_missing(pair_of(grant, "A grant of £11 million was awarded to five councils.")) == 1.0
    # How many items a list question asks for is not a figure the answer must repeat; a year is.
    listed = "What are the 4 categories of supported accommodation?"
    assert question_figures_missing(pair_of(listed, "Ring-fenced shared accommodation | Only for care leavers.")) == 0.0
    before = "What had the home been rated before the 2021 inspection?"
    assert question_figures_missing(pair_of(before, "Previous judgement: Good (March 2020)")) == 0.0
    # An age the question gives is there within an age range; any other figure is not ("wave 2" in "aged 0 to 10").
    twelve = "stanmere kinship allowance amount for a 12 year old"
    assert question_figures_missing(pair_of(twelve, "11 to 15 — Weekly allowance: £212")) == 0.0
    assert question_figures_missing(pair_of(twelve, "16 and 17 — Weekly allowance: £247")) == 1.0
    wave = "How much is the setting-up grant in wave 2 areas?"
    assert question_figures_missing(pair_of(wave, "Weekly allowance, child aged 0 to 10: £182 per week")) == 1.0
    dated = "What did the 2023 adopters fact sheet report?"
    assert question_figures_missing(pair_of(dated, "The fact sheet reported savings.")) == 1.0


def test_a_date_without_a_year_is_in_its_documents_year() -> None:
    """"Wednesday 15 September — workshop led by ..." in a programme dated 2021 answers "... on 15 September 2021?";
    a unit that gives another year, or no date, does not, whatever its document's date."""
    question = "Who led the No Wrong Door workshop on 15 September 2021?"
    session = "Wednesday 15 September: the No Wrong Door workshop, led by Iain Kirkup and Gaynor Carlton."
    assert question_figures_missing(pair_of(question, session)) == 0.5  # undated: the year is missing
    assert question_figures_missing(pair_of(question, session, year="2021")) == 0.0
    assert question_figures_missing(pair_of(question, session, year="2023")) == 0.5
    elsewhere = "On 15 September 2019 the No Wrong Door workshop was led by the hub manager."
    assert question_figures_missing(pair_of(question, elsewhere, year="2021")) == 0.5
    undated = "The No Wrong Door workshop was led by the hub manager."  # no date at all: nothing to complete
    assert question_figures_missing(pair_of(question, undated, year="2021")) == 1.0


def test_which_month_of_a_year_needs_a_month_of_that_year() -> None:
    """"Which month in 2023 ...?" is a near miss for "(March 2024) ... rated Outstanding in 2023": the month is
    another year's. A month written without a year, or with the year asked, answers it."""
    question = "Which month in 2023 did Rochdale's latest full Ofsted inspection take place?"
    assert lacks_strict_kind(pair_of(question, "The journal (March 2024) told of its Outstanding judgement in 2023."))
    assert not lacks_strict_kind(pair_of(question, "Ofsted inspected Rochdale in March 2023."))
    assert not lacks_strict_kind(pair_of(question, "Ofsted inspected Rochdale in March; the report came out in 2023."))
    assert lacks_strict_kind(pair_of(question, "Rochdale was rated Outstanding in 2023."))  # a year alone, as before
    assert not lacks_strict_kind(pair_of("Which month did Ofsted inspect Rochdale?", "It was in March 2024."))


def test_link_labels_and_menus_are_recognised() -> None:
    question = "What is Family Safeguarding?"
    assert looks_like_link_or_menu(pair_of(question, "What is family safeguarding and how to implement it (PDF 16.1mb)")) == 1.0
    assert looks_like_link_or_menu(pair_of(question, "See https://example.org/report for the report")) == 1.0
    assert (
        looks_like_link_or_menu(pair_of(question, "Family Safeguarding is a whole family approach to child protection.")) == 0.0
    )
    assert looks_like_link_or_menu(pair_of(question, "Read more about Family Safeguarding")) == 1.0
    assert looks_like_link_or_menu(pair_of(question, "We use cookies to improve your experience.")) == 1.0
    # A sentence that merely begins with a word a link label might ("Following", "Reading", "Views") is a sentence.
    for sentence in ("Following the launch, referrals fell by a third.", "Views of parents were mostly positive."):
        assert looks_like_link_or_menu(pair_of(question, sentence)) == 0.0
    # A document's list of its sources is not what it says.
    sources = "Sources: Positive Steps UK; Children and Young People Now; NHS Wales Supervision Hub."
    assert looks_like_link_or_menu(pair_of("What does restorative supervision offer?", sources)) == 1.0
    # A page's dateline, colon or not, is its particulars; a sentence about a publication date is a sentence.
    for dateline in ("Published 12 March 2024 Last updated 3 June 2024", "Page last reviewed: 2 May 2024"):
        assert looks_like_link_or_menu(pair_of("What is a MARAC?", dateline)) == 1.0
    for sentence in ("The plan was published in March 2024.", "Published March 2024 The report was written by Leeds."):
        assert looks_like_link_or_menu(pair_of("When was the plan published?", sentence)) == 0.0


def test_a_lead_in_answers_only_how_many() -> None:
    lead = "The hub offers three services to families:"
    assert lead_in_for_no_count(pair_of("What services does the hub offer?", lead, lead_in=True)) == 1.0
    assert lead_in_for_no_count(pair_of("How many services does the hub offer?", lead, lead_in=True)) == 0.0


def test_the_matrix_has_a_named_column_per_feature_and_relative_ones() -> None:
    pairs = [
        pair_of("When did the hub open?", "The hub opened in March 2023."),
        pair_of("When did the hub open?", "The hub is busy."),
    ]
    matrix = feature_matrix(pairs)
    assert matrix.shape == (2, len(FEATURE_NAMES))
    below = matrix[:, FEATURE_NAMES.index("focus_around_unit_below_best")]
    assert below.min() == 0.0 and np.all(below >= 0)
    kind = matrix[:, FEATURE_NAMES.index("states_asked_kind")]
    assert kind.tolist() == [1.0, 0.0]


def test_a_unit_a_gate_shuts_is_weighed_no_further_and_the_others_exactly_as_before() -> None:
    """Answers skip the features of units a gate shuts (their probability is 0 whatever the rest say): what is
    computed must be what the full matrix holds, or answers would change."""
    question = "When did the hub open?"
    pairs = [
        pair_of(question, "The hub opened in March 2023."),
        pair_of(question, "The hub is busy and popular with families."),  # no date: shut by lacks_strict_kind
        pair_of(question, "Opening times"),
    ]
    gates = load_model().gates
    full, gated = feature_matrix(pairs), feature_matrix(pairs, gates)
    shut = np.isnan(gated).any(axis=1)
    assert shut.tolist() == [False, True, True]
    assert np.array_equal(gated[~shut], full[~shut])
    kept = ~np.isnan(gated[shut])
    assert np.array_equal(gated[shut][kept], full[shut][kept])  # the gates and the features others are measured by
    complete_rows(pairs, gated, [1, 2])
    assert np.array_equal(gated, full)


def test_who_holds_a_role_is_answered_by_a_name_beside_the_role_not_by_the_role() -> None:
    from kb.answering.refusal import missing_from

    question = "Who is the registered manager of the Lighthouse hub?"
    assert analyse(question).named_role == "registered manager"
    assert analyse("Who's their chief exec?").named_role == "chief exec"
    # Who a service is for, who is eligible, who leads it: not a role's holder asked for by name.
    for other in ("Who is the hub's programme for?", "Who is eligible for the allowance?", "Who leads a family meeting?"):
        assert analyse(other).named_role is None
    role_only = pair_of(question, "Queries should go to the Registered Manager of The Lighthouse.")
    assert lacks_strict_kind(role_only) == 1.0
    assert missing_from(role_only) == "none of the passages found names the registered manager"
    for holder in (
        "The registered manager, Amira Sheikh, has run the hub since 2021.",
        "Amira Sheikh, the hub's registered manager, said the hub was full.",
        "Registered Manager Amira Sheikh said the hub was full.",
    ):
        assert lacks_strict_kind(pair_of(question, holder)) == 0.0
    # Another person in the same passage, or one named in a list of guests, is not the role's holder.
    assert lacks_strict_kind(pair_of(question, "The hub was opened by Cherie Blair; a registered manager was hired.")) == 1.0
    guests = "Speakers ranged from leaders such as Isabelle Trowler to registered managers of homes."
    assert lacks_strict_kind(pair_of(question, guests)) == 1.0
    # A run of capitals made of the role's or a body's words is not a name.
    commissioner = pair_of("Who was the first Domestic Abuse Commissioner?", "The Act created the Domestic Abuse Commissioner.")
    assert lacks_strict_kind(commissioner) == 1.0
    # A deputy or an assistant does not hold the role asked about, unless the question asks for that rank.
    deputy = "The deputy director at the time, Saleem Tariq, led the response."
    assert lacks_strict_kind(pair_of("Who was the director of children's services?", deputy)) == 1.0
    assert lacks_strict_kind(pair_of("Who was the deputy director of children's services?", deputy)) == 0.0


def test_a_refusal_names_what_the_closest_passage_lacks_in_a_readers_words() -> None:
    from kb.answering.refusal import missing_from

    assert missing_from(pair_of("How many beds does the hub have?", "The hub opened in 2019.")).endswith("for beds")
    # "What percentage" is answered by "36.2%": the word "percentage" is not what a passage lacks.
    percentage = missing_from(pair_of("What percentage of children were in care at 12 months?", "In care at 12 months: 36.2%."))
    assert "percentage" not in percentage
    unnamed = missing_from(pair_of("Could a council join SFPC?", "Councils could apply."))
    assert unnamed == "none of the passages found mentions SFPC"
    # Another passage weighed names it: only the closest one does not.
    named = pair_of("Could a council join SFPC?", "SFPC funded seventeen councils.")
    assert missing_from(pair_of("Could a council join SFPC?", "Councils could apply."), [named]) == (
        "the closest passage does not mention SFPC"
    )


def test_a_name_the_knowledge_base_never_mentions_is_absent_unless_misspelt_or_abbreviated() -> None:
    from kb.answering.refusal import absent_names

    passages = ["New Roads supported 170 young people in Norfolk.", "Unaccompanied asylum-seeking children are counted apart."]
    assert absent_names(["Scotland"], passages) == ["Scotland"]
    assert absent_names(["Northern", "Ireland"], passages) == ["Northern", "Ireland"]
    # A misspelling of a word of the passages found ("Raods") and an abbreviation they may spell out are not absent.
    assert absent_names(["Raods", "UASC", "NQSWs"], passages) == []
    assert absent_names([], passages) == []


def test_a_focus_word_put_otherwise_counts_for_as_much_as_it_is_related() -> None:
    """ "When did Dudley begin the service?": "started" is the text's word for "begin"."""
    question = "When did Dudley begin the service?"
    said_otherwise = focus_related_in_unit(pair_of(question, "Dudley started the service in July 2023."))
    unrelated = focus_related_in_unit(pair_of(question, "Dudley's council met in July 2023."))
    assert focus_related_in_unit(pair_of(question, "Dudley will begin the service in July 2023.")) == 1.0
    assert 0.0 < unrelated < said_otherwise < 1.0
    assert closeness("children", ("kids", "council")) > closeness("children", ("report", "council"))


def test_a_list_is_about_what_its_section_path_names() -> None:
    question = "What are the six pillars in Stable Homes, Built on Love?"
    pillars = {
        "lines": ("The six pillars:", "- Family Help", "- Family networks"),
        "heading": "The six pillars",
        "is_list": True,
        "items": 2,
        "scope": "The six pillars: The six pillars A review",
    }
    path = "The six pillars: The government's response: Stable Homes, Built on Love The six pillars"
    assert names_missing_around(pair_of(question, "Family Help\nFamily networks", context=path, **pillars)) == 0.0
    elsewhere = "The six pillars: A review The six pillars"
    assert names_missing_around(pair_of(question, "Family Help\nFamily networks", context=elsewhere, **pillars)) == 1.0


def test_a_name_a_follow_up_takes_from_earlier_turns_need_not_be_repeated() -> None:
    """"The study also found ..." answers "and how many are referred again?" after a question about a named study."""
    intent = analyse("And how many of those children are referred again?", context="What did the Kingston University study find?")
    answer = unit("The study also found that 30 per cent were rereferred within 12 months.")
    mentions = Mentions(intent, set(), lambda _: 1.0)
    common = dict(relevance=0.5, passage_rank=0, passage_cosine=0.5, word_weight=lambda _: 1.0, evidence=0.5, unknown_names=0)
    assert names_missing_around(pair(intent, answer, mentions=mentions, **common)) == 0.0  # type: ignore[arg-type]
    own = analyse("How many children does Kingston University say are referred again?")
    assert names_missing_around(pair(own, answer, mentions=Mentions(own, set(), lambda _: 1.0), **common)) > 0  # type: ignore[arg-type]
    # Unless the unit is about another model in its place: "it" is still Family Valued.
    adopted = analyse("and which councils adopted it?", context="What is Family Valued?")
    other = unit("Walsall Council\nLancashire County Council", is_list=True, scope="Family Safeguarding adopters")
    shut = pair(adopted, other, mentions=Mentions(adopted, set(), lambda _: 1.0), **common)  # type: ignore[arg-type]
    assert names_missing_around(shut) > 0


def test_the_noun_asked_for_is_looked_for_in_the_unit() -> None:
    question = "What was the theme of the learning week in September 2021?"
    assert names_asked_noun(pair_of(question, "The theme for the week was balancing protection with support.")) == 1.0
    assert names_asked_noun(pair_of(question, "From 13 to 17 September 2021 the programme ran a learning week.")) == 0.0
    assert names_asked_noun(pair_of("What is Family Valued?", "Family Valued is Leeds' model.")) == 0.5  # none asked


def test_a_question_matched_only_across_a_sentences_clauses_is_marked() -> None:
    question = "What did Ofsted find about reunification practice in Rochdale?"
    scattered = (
        "The issue included Rochdale's account of its journey to an Outstanding Ofsted judgement; "
        "Coventry's award-winning reunification practice; and Wandsworth's values-led approach."
    )
    assert words_across_clauses(pair_of(question, scattered)) > 0.2
    whole = "Ofsted found that reunification practice in Rochdale was strong."
    assert words_across_clauses(pair_of(question, whole)) == 0.0


def test_a_table_rows_cells_are_read_with_the_rows_label_not_as_scattered_clauses() -> None:
    question = "What age group does Swindon's edge of care service work with?"
    row = "Swindon — Model: Family Safeguarding adopter; Service: Edge of care, works with children aged 10 to 18"
    assert words_across_clauses(pair_of(question, row)) == 0.0  # one cell, read with "Swindon", holds it all
