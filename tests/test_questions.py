"""Reading questions: the kind of answer wanted, names, parts, follow-ups, spelling; recognising councils."""

from __future__ import annotations

import pytest

from kb.answering.question import MAX_SEARCH_CHARS, analyse, correct_names, resolve_follow_up, split_parts
from kb.councils import councils_in


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("When was the national learning event held?", "date"),
        ("When should a family network meeting be offered?", "time"),
        ("When is the plan reviewed after the meeting?", "time"),
        # A planned date is a date, not a procedure's time.
        ("When is the Family Safeguarding trial expected to finish?", "date"),
        ("When will the duty come into force?", "date"),
        ("How soon after the conference should the family be offered a meeting?", "time"),
        ("How quickly must the provider tell the social worker?", "time"),
        ("Since when has the programme been making progress?", "date"),
        ("How many sessions did it have?", "number"),
        ("What is the staff turnover in the teams?", "number"),
        ("How old are the young people that No Wrong Door works with?", "age"),
        ("Which local authority designed Family Safeguarding?", "council"),
        ("Who are the innovator councils?", "council"),
        ("Who chaired the cross-programme sessions?", "person"),
        # A person asked for by their role; "what did leaders say" asks what was said.
        ("Which cabinet member spoke about the Telford launch?", "person"),
        ("Which permanent leaders did Middlesbrough credit?", "person"),
        ("Looking back, what did leaders say councils should have done?", "general"),
        # "Who are the ... councils?" asks for councils; a council named later in a "who" question is not what it asks.
        ("Who is the lead authority?", "council"),
        ("Who was closely involved in designing No Wrong Door and said it began with what the council wanted?", "person"),
        ("And who was leading the county council when the good rating came out?", "person"),
        ("In which two years was Norfolk rated inadequate?", "date"),
        ("Why are people anxious about regional care cooperatives?", "reason"),
        ("What is the Family Safeguarding Workbook for?", "purpose"),
        ("What is Family Valued?", "definition"),
        ("How did Leeds change the way families qualify for services?", "general"),
        # A follow-up's leading conjunction does not change what it asks for.
        ("And when did their recording system go live?", "date"),
        # Typed as keywords, or with the date's own word: the date is still what is asked for.
        ("ashcombe family safeguarding start date", "date"),
        ("youth communication team contract - end date?", "date"),
        ("What exact date did Sefton launch its partnership?", "date"),
        ("So who chaired the cross-programme sessions?", "person"),
        ("But why are people anxious about regional care cooperatives?", "reason"),
    ],
)
def test_the_kind_of_answer_a_question_wants(question: str, kind: str) -> None:
    assert analyse(question).kind == kind


def test_names_exclusions_and_measures() -> None:
    besides = analyse("Which council besides Leeds is committed to family group conferencing?")
    assert besides.excluded == {"leeds"} and besides.entities == ("Leeds",)
    funding = analyse("How much funding did Leeds receive for Family Valued?")
    assert funding.measure == "funding" and set(funding.entities) == {"Family Valued", "Leeds"}
    assert analyse("What percentage of Lancashire families completed Motivational Interviewing?").percent
    assert analyse("What was Middlesbrough's Ofsted rating in 2022?").entities == ("Middlesbrough", "Ofsted")
    # A month is a date, not a name; what the asker says of themselves is not what the answer must be about.
    assert analyse("What did inspectors raise in Middlesbrough in March 2022?").entities == ("Middlesbrough",)
    assert analyse("I work in a children's home in Suffolk - what does the Philomena form ask?").entities == ("Philomena",)
    assert analyse("How many local authorities took part in the trial?").measure == "authorities"
    # The counted noun ends a phrase of up to six words, "and" inside it included.
    assert analyse("How many school staff and voluntary sector staff got the training?").measure == "staff"
    assert analyse("How many speech and language therapists work across the hubs?").measure == "therapists"
    fourth = analyse("What does the fourth strand of Family Valued involve?")
    assert fourth.ordinal == 4 and not fourth.wants_list
    assert analyse("List every council adopting No Wrong Door.").wants_list
    assert not analyse("Which council leads No Wrong Door?").wants_list
    # A plural described by a word ("specialist areas") or a kind ("kind of things") is a list asked for; a singular
    # noun before a verb ending in s ("What panel oversees") is not.
    assert analyse("What specialist areas do the portfolio leads cover?").wants_list
    assert analyse("What kind of things does Staying Close help with?").wants_list
    assert not analyse("What panel oversees extra-familial risk in Hackney?").wants_list
    # How many things a list question asks for, when it says; a span of time is not a count of things.
    assert analyse("What are the six principles of trauma informed care?").items_asked == 6
    assert analyse("Which two Coventry teams got extra capacity from the grant?").items_asked == 2
    assert analyse("What happened to the hubs over six months?").items_asked is None
    assert analyse("How many children were in care 2 years later?").items_asked is None
    # So is a plural before a verb in the past ("charities praised"), and a number of things ("Which two teams").
    assert analyse("Which national charities praised Coventry's Reunification Project?").wants_list
    assert analyse("Which two Coventry teams got extra capacity from the grant?").wants_list


def test_the_noun_a_what_question_asks_for() -> None:
    assert analyse("What was the theme of the SFPC learning week in September 2021?").asked == "theme"
    assert analyse("And what's the main outcome that trial is measuring?").asked == "outcome"
    assert analyse("Which supervision model was combined with restorative supervision?").asked == "model"
    assert analyse("What kind of communication problems did the assessments find?").asked == "problems"
    assert analyse("What sort of information goes on the form?").asked == "information"
    # No noun is asked for: a verb follows "what", or the question asks what something is.
    assert analyse("What did Ofsted say Norfolk still needed to improve?").asked is None
    assert analyse("What is Family Safeguarding?").asked is None
    assert analyse("How many beds does the hub have?").asked is None  # a count: its measure says what is counted


def test_a_follow_up_knows_which_names_it_takes_from_earlier_turns() -> None:
    follow = analyse("And how many of those children are referred again?", context="What did the Kingston University study find?")
    assert "Kingston University" in follow.entities and follow.inherited == {"Kingston University"}
    own = analyse("When did Middlesbrough launch it?", context="What is No Wrong Door?")
    assert own.inherited == {"No Wrong Door"} and "Middlesbrough" not in own.inherited
    assert analyse("When did Middlesbrough launch No Wrong Door?").inherited == frozenset()


def test_two_part_questions_split_and_one_part_ones_do_not() -> None:
    assert split_parts("Which councils use No Wrong Door and how do I contact them?") == [
        "Which councils use No Wrong Door",
        "how do I contact them",
    ]
    assert split_parts("Is Swindon part of the programme, and with which model?") == [
        "Is Swindon part of the programme, and with which model?"
    ]
    assert split_parts("Which partners produce the learning journal and national events?") == [
        "Which partners produce the learning journal and national events?"
    ]


def test_follow_ups_keep_their_subject() -> None:
    rewritten = resolve_follow_up("And Family Valued?", ["Which councils adopted No Wrong Door?"])
    assert rewritten.question == "Which councils adopted Family Valued?" and rewritten.context == ""
    inherited = resolve_follow_up("and which councils adopted it?", ["What is Family Valued?"])
    assert inherited.context == "What is Family Valued?"
    person = resolve_follow_up("When was she appointed?", ["Who is Isabelle Trowler?"])
    assert person.search_query == "When was she appointed? (Who is Isabelle Trowler?)"
    fresh = resolve_follow_up("What did the care review say about Camden?", ["What is Family Valued?"])
    assert fresh.context == ""
    # A question of a few words that carry meaning leans on the one before, whatever verbs pad it out.
    after = resolve_follow_up("What happens after the search?", ["How does Lifelong Links find a child's relatives?"])
    assert after.context == "How does Lifelong Links find a child's relatives?"
    own = resolve_follow_up("How do I run a family group conference?", ["How does Lifelong Links find relatives?"])
    assert own.context == ""
    # A council named beside "it" is where; "it" is still the model asked about before.
    where = resolve_follow_up("When did it start in Hertfordshire?", ["What is Family Safeguarding?"])
    assert where.search_query == "When did it start in Hertfordshire? (Family Safeguarding)"
    assert resolve_follow_up("When did Hertfordshire start?", ["What is Family Safeguarding?"]).context == ""
    assert resolve_follow_up("Did Leeds use it as well as Family Valued?", ["What is No Wrong Door?"]).context == ""


def test_an_elliptical_follow_up_with_another_year_asks_the_same_of_that_year() -> None:
    earlier = ["How many children in care did Coventry have in 2021?"]
    assert resolve_follow_up("And in 2023?", earlier).question == "How many children in care did Coventry have in 2023?"
    assert resolve_follow_up("what about 2019", earlier).question == "How many children in care did Coventry have in 2019?"
    moved = resolve_follow_up("And in 2023 in Leeds?", earlier)
    assert moved.question == "How many children in care did Leeds City Council have in 2023?"
    # Two years before: which one the new year replaces is not clear, so the earlier question is context.
    ranged = resolve_follow_up("And in 2023?", ["How many children were in care between 2019 and 2021?"])
    assert (ranged.question, ranged.context) == ("And in 2023?", "How many children were in care between 2019 and 2021?")


def test_misspelt_names_are_corrected_and_real_words_are_not() -> None:
    known = {"what", "is", "family", "safeguarding", "which", "leads", "the", "programme"}.__contains__
    corrected, corrections = correct_names("what is famly safegarding", is_known_word=known)
    assert corrected == "what is Family Safeguarding"
    assert [(c.typed, c.corrected) for c in corrections] == [("famly safegarding", "Family Safeguarding")]
    assert correct_names("Which leads the programme?", is_known_word=known) == ("Which leads the programme?", [])
    corrected, _ = correct_names("Is Middlesborough an adopter?", is_known_word=known)
    assert corrected == "Is Middlesbrough an adopter?"
    # A possessive is not part of the name it follows.
    corrected, _ = correct_names("Where are Norfok's hubs?", is_known_word=known)
    assert corrected == "Where are Norfolk's hubs?"


@pytest.mark.parametrize(
    ("text", "councils"),
    [
        ("LEEDS CITY COUNCIL: FAMILY VALUED HERTFORDSHIRE COUNTY COUNCIL", {"leeds", "hertfordshire"}),
        ("17 Redcar & Cleveland Borough Council 10 Telford & Wrekin Council", {"redcar-and-cleveland", "telford-and-wrekin"}),
        ("the fantastic work of Leeds, but also Camden in their commitment", {"leeds", "camden"}),
        ("Reading the report, Bury and reading Council minutes", set()),
        ("Reading Borough Council and Cardiff Council", {"reading", "cardiff"}),
        ("North Yorkshire’s No Wrong Door", {"north-yorkshire"}),
        # The short name a council usually goes by, as "Redcar" and "Telford" are.
        ("Bracknell set up its team in a staggered way; Brighton followed", {"bracknell-forest", "brighton-and-hove"}),
    ],
)
def test_councils_are_recognised_by_their_usual_names(text: str, councils: set[str]) -> None:
    assert councils_in(text) == councils


def test_a_follow_up_never_searches_for_more_than_a_question_may_hold() -> None:
    earlier = "Tell me about the learning event " + "and who spoke there " * 45 + "?"
    follow_up = resolve_follow_up("When did it start?", [earlier])
    assert len(earlier) > 900 and len(follow_up.search_query) <= MAX_SEARCH_CHARS
    assert follow_up.search_query.startswith("When did it start? (Tell me about the learning event and")


def test_common_typing_is_read_as_meant() -> None:
    from kb.answering.question import normalise_typing

    assert normalise_typing("whats family valued") == normalise_typing("what's family valued") == "what is Family Valued"
    assert normalise_typing("Hows it going") == "How is it going"
    assert normalise_typing("why dont councils use it") == "why do not councils use it"
    assert normalise_typing("What is the council's plan?") == "What is the council's plan?"  # a possessive stays
    # Names typed in lower case, or run into a possessive without its apostrophe, are read as names; a council whose
    # name is an ordinary word stays as typed.
    norfolk = normalise_typing("what did ofsted say norfolks childrens services do well")
    assert norfolk == "what did ofsted say Norfolk's childrens services do well"
    assert analyse(normalise_typing("middlesbrough pathways service number of teams")).councils == {"middlesbrough"}
    assert normalise_typing("what are they reading in bury") == "what are they reading in bury"
    assert normalise_typing("How did LEEDS CITY COUNCIL do?") == "How did LEEDS CITY COUNCIL do?"


def test_what_the_answer_is_not_is_not_asked_about() -> None:
    # "apart from going to her prom": the prom is what the answer is not; a quotation is taken whole, and the phrase
    # ends at the question's verb.
    prom = analyse("What did Kayleigh do after getting a place at a hub, apart from going to her prom?")
    assert "prom" not in prom.focus and "hub" in prom.focus
    instead = analyse("What question should staff ask instead of 'what is wrong with you?'")
    assert "wrong" not in instead.focus and "staff" in instead.focus
    assert "pathfinder" in analyse("Which programmes besides SFPC does the pathfinder draw on?").focus


def test_a_light_verb_is_not_what_the_question_asks_about() -> None:
    # "bring in", "set up", "put in place", "keep": the answer says "introduced", "established", "continued".
    assert analyse("When did Dudley bring in Family Safeguarding?").focus == ()
    assert analyse("How many teams did Hertfordshire set up?").focus == ("teams",)
    assert "supporting" in analyse("How did the team keep supporting families?").focus
    assert "keep" not in analyse("How did the team keep supporting families?").focus
