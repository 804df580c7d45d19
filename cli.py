"""The `kb` command: a thin Typer shell over the kb library."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kb.errors import KBError
from kb.settings import Settings

app = typer.Typer(help="Search and ask the SFPC peer-learning knowledge base.", no_args_is_help=True, add_completion=False)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
KOption = Annotated[int, typer.Option("-k", "--k", help="How many passages (1-50).")]
ModelOption = Annotated[list[str] | None, typer.Option("--model", help="Only passages about this model (repeatable).")]
ThemeOption = Annotated[list[str] | None, typer.Option("--theme", help="Only passages on this theme (repeatable).")]
DocTypeOption = Annotated[list[str] | None, typer.Option("--doc-type", help="Only this document type (repeatable).")]
AuthorityOption = Annotated[
    list[str] | None, typer.Option("--authority", help="Only passages naming this authority (repeatable).")
]


@contextmanager
def user_errors() -> Iterator[None]:
    """Library errors become one red line and exit code 1, never a traceback."""
    from pydantic import ValidationError

    from kb.errors import IndexMismatchError, IndexMissingError, UnknownDocumentError, is_disk_full

    remedies = {
        IndexMissingError: "run `kb ingest` to build it",
        IndexMismatchError: "run `kb ingest --rebuild`",
        UnknownDocumentError: "`kb docs` lists the indexed documents",
    }
    try:
        yield
    except KBError as exc:
        remedy = next((text for kind, text in remedies.items() if isinstance(exc, kind)), None)
        err.print(f"[red]error:[/red] {shown(exc)}{f' ({remedy})' if remedy else ''}", highlight=False)
        raise typer.Exit(1) from None
    except OSError as exc:
        if not is_disk_full(exc):
            raise
        where = shown(exc.filename or exc)
        err.print(f"[red]error:[/red] the disk is full ({where}); free some space and try again", highlight=False)
        raise typer.Exit(1) from None
    except ValidationError as exc:  # a KB_ environment setting out of range
        problems = "; ".join(f"KB_{'_'.join(str(p) for p in e['loc']).upper()}: {e['msg']}" for e in exc.errors())
        err.print(f"[red]error:[/red] invalid setting: {problems}", highlight=False)
        raise typer.Exit(1) from None


@contextmanager
def embedding_progress(description: str) -> Iterator[Callable[[str, int, int], None]]:
    """A transient progress bar on stderr; yields the (stage, done, total) callback the library reports to."""
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task(description, total=None)
        yield lambda _stage, done, total: progress.update(task, completed=done, total=total)


def print_json(data: Any) -> None:
    """JSON on stdout, UTF-8, for scripts."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def open_kb() -> Any:
    from kb.knowledge_base import KnowledgeBase

    settings = Settings()
    return KnowledgeBase(settings.index_dir, prefer_onnx=settings.query_embedder == "onnx")


def parse_filters(
    model: list[str] | None, theme: list[str] | None, doc_type: list[str] | None, authority: list[str] | None
) -> Any:
    from kb.search import Filters

    return Filters.parse(model=model, theme=theme, doc_type=doc_type, authority=authority)


@app.command()
def ingest(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders to index (default: the corpus folder).")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Rebuild the index from scratch.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Index documents: new and changed files are (re)indexed, deleted ones removed, failures reported."""
    from kb.editing import recover_interrupted
    from kb.ingest import ingest as run_ingest

    settings = Settings()
    recovered = recover_interrupted(settings.corpus_dir, settings.index_dir)
    if recovered:
        err.print(f"[yellow]recovered:[/yellow] {shown(recovered)}", highlight=False)
    with user_errors(), embedding_progress("embedding passages") as on_progress:
        report = run_ingest(
            paths or [settings.corpus_dir], index_dir=settings.index_dir, rebuild=rebuild, on_progress=on_progress
        )
    for failure in report.failed:
        err.print(f"[red]failed:[/red] {shown(failure.path)}: {shown(failure.reason)}", highlight=False)
    for skipped in report.skipped:
        err.print(f"[yellow]skipped:[/yellow] {shown(skipped.path)}: {shown(skipped.reason)}", highlight=False)
    for warning in report.warnings:
        err.print(f"[yellow]warning:[/yellow] {shown(warning.path)}: {shown(warning.message)}", highlight=False)
    if as_json:
        print_json(asdict(report))
    else:
        out.print(
            f"{report.documents} documents, {report.chunks} chunks in the index "
            f"(added {len(report.added)}, replaced {len(report.replaced)}, removed {len(report.removed)}, "
            f"unchanged {len(report.unchanged)}, failed {len(report.failed)}, skipped {len(report.skipped)}; "
            f"{report.chunks_embedded} chunks embedded) in {report.seconds:.1f} s",
            highlight=False,
        )
    if report.failed:
        raise typer.Exit(1)


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: KOption = 5,
    model: ModelOption = None,
    theme: ThemeOption = None,
    doc_type: DocTypeOption = None,
    authority: AuthorityOption = None,
    mode: Annotated[str, typer.Option("--mode", help="hybrid, dense or lexical.")] = "hybrid",
    as_json: JsonOption = False,
) -> None:
    """Ranked passages for a query, with document, section and page."""
    from kb.knowledge_base import search_as_meant

    with user_errors():
        filters = parse_filters(model, theme, doc_type, authority)
        found = search_as_meant(open_kb(), query, k=k, filters=filters, mode=mode)  # type: ignore[arg-type]  # checked by kb.search
    hits = found.hits
    if as_json:
        results = [asdict(h) for h in hits]
        print_json({"query": query, "results": results, "searched_for": found.searched_for, "corrections": found.corrections})
        return
    say_searched_for(found.searched_for, found.corrections)
    if not hits:
        out.print("No passages found.")
    for hit in hits:
        where = " · ".join(x for x in (hit.section, f"p. {hit.page}" if hit.page else "") if x)
        out.print(
            f"[bold]{hit.rank}.[/bold] {hit.score:.3f}  [bold]{shown(hit.title)}[/bold] ({shown(hit.source_label)})",
            highlight=False,
        )
        if where:
            out.print(f"   {shown(where)}", style="dim", highlight=False)
        out.print(f"   {shown(trim(hit.text))}\n", highlight=False)


def say_searched_for(searched_for: str | None, corrections: list[str]) -> None:
    """"Searched for: ..." when a correction or the conversation changed the search (kb search, kb ask)."""
    if searched_for:
        read = f" (read {shown('; '.join(corrections))})" if corrections else ""
        out.print(f"Searched for: {shown(searched_for)}{read}", style="dim", highlight=False)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="A question in plain words.")],
    k: KOption = 5,
    model: ModelOption = None,
    theme: ThemeOption = None,
    doc_type: DocTypeOption = None,
    authority: AuthorityOption = None,
    history: Annotated[Path | None, typer.Option("--history", help='Earlier turns: JSON list of {"role", "content"}.')] = None,
    search_anyway: Annotated[
        bool,
        typer.Option("--search-anyway", help="Search the publications even if the question reads as a safeguarding concern."),
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """A short answer quoted from the knowledge base, with numbered citations (or a plain 'not covered').

    A question that reports a present risk to a child or adult gets the safeguarding response instead."""
    from kb.answering.conversation import read_history
    from kb.knowledge_base import ask as ask_kb

    with user_errors():
        filters = parse_filters(model, theme, doc_type, authority)
        turns = read_history(history) if history else []
        threshold = Settings().refusal_threshold
        answer = ask_kb(
            open_kb(), question, k=k, filters=filters, history=turns, threshold=threshold, safeguarding_check=not search_anyway
        )
    if as_json:
        print_json(
            {
                "question": answer.question,
                "answer": answer.answer,
                "confident": answer.confident,
                "citations": [asdict(c) for c in answer.citations],
                "kind": answer.kind,
                "not_covered": answer.not_covered,
                "corrections": answer.corrections,
                "search_query": answer.search_query,
                "searched_for": answer.searched_for,
                "safeguarding": answer.safeguarding,
                "terms": [{"abbreviation": short, "meaning": meaning} for short, meaning in answer.terms],
            }
        )
        return
    if answer.safeguarding:
        out.print("SAFEGUARDING: not an answer from the knowledge base", style="bold red", highlight=False)
        out.print(shown(answer.answer), highlight=False)
        out.print("To search the publications for this topic anyway, ask again with --search-anyway.", style="dim")
        return
    say_searched_for(answer.searched_for, answer.corrections)
    out.print(shown(answer.answer), style=None if answer.confident else "yellow", highlight=False)
    if answer.terms:
        terms = "; ".join(f"{short}: {meaning}" for short, meaning in answer.terms)
        out.print(f"Terms: {shown(terms)}", style="dim", highlight=False)
    out.print()
    for c in answer.citations:
        out.print(citation_line(c), highlight=False)


@app.command()
def peers(
    topic: Annotated[str, typer.Argument(help="A topic: 'reunification', 'kinship care', 'recruiting social workers'.")],
    model: ModelOption = None,
    theme: ThemeOption = None,
    doc_type: DocTypeOption = None,
    authority: AuthorityOption = None,
    as_json: JsonOption = False,
) -> None:
    """The councils that have done it: those with evidence about a topic, ranked, with their passages."""
    from kb.peers import find_peers

    with user_errors():
        found = find_peers(open_kb(), topic, filters=parse_filters(model, theme, doc_type, authority))
    if as_json:
        print_json(asdict(found))
        return
    if not found.councils:
        out.print("No council in the knowledge base has evidence about this topic.")
    for rank, peer in enumerate(found.councils, start=1):
        role = f"{peer.role}, {peer.model}" if peer.model else peer.role
        out.print(f"[bold]{rank}. {shown(peer.name)}[/bold] ({shown(role)}) {peer.score:.3f}", highlight=False)
        for c, quote in zip(peer.passages, peer.quotes, strict=True):
            source = f"{shown(c.title)} ({c.doc_type}, {c.date or 'n.d.'})"
            out.print(f"   [{c.n}] {shown(trim(quote, 200))} — {source}", highlight=False)


@app.command()
def council(
    name: Annotated[str, typer.Argument(help="A council's name or id: 'Leeds', 'redcar-and-cleveland'.")],
    as_json: JsonOption = False,
) -> None:
    """A council's role and model, and every passage that names it, by document, newest first."""
    from kb.peers import council_page

    with user_errors():
        page = council_page(open_kb(), name)
    if as_json:
        print_json(asdict(page))
        return
    out.print(f"[bold]{shown(page.name)}[/bold] ({page.role}{', ' + shown(page.model) if page.model else ''})", highlight=False)
    if not page.documents:
        out.print("No passage names this council.")
    for document in page.documents:
        out.print(f"\n{shown(document.title)} ({document.date or 'n.d.'})", style="bold", highlight=False)
        for c, mention in zip(document.passages, document.mentions, strict=True):
            where = ", ".join(x for x in (c.section.split(" > ")[-1], f"p. {c.page}" if c.page else "") if x)
            out.print(f"  [{c.n}] {shown(trim(mention, 240))}{' (' + shown(where) + ')' if where else ''}", highlight=False)


@app.command()
def compare(
    question: Annotated[str, typer.Argument(help="A question to ask of each model: 'How does each model involve families?'")],
    as_json: JsonOption = False,
) -> None:
    """The question answered for each of the three models, side by side (or 'nothing on this')."""
    from kb.compare import compare_models

    with user_errors():
        comparison = compare_models(open_kb(), question)
    if as_json:
        print_json(asdict(comparison))
        return
    for answer in comparison.models:
        out.print(f"[bold]{shown(answer.model)}[/bold]", highlight=False)
        out.print(shown(answer.answer), style=None if answer.confident else "yellow", highlight=False)
        for c in answer.citations:
            out.print(f"  {citation_line(c)}", highlight=False)
        out.print()


@app.command(name="eval")
def evaluate(
    questions: Annotated[
        list[Path] | None, typer.Argument(
            help='JSONL files: {"id", "q", "phrase": [...], "all"?, "history"?}; no phrase = should be refused.'
        )
    ] = None,
    k: KOption = 5,
    calibrate: Annotated[
        bool, typer.Option("--calibrate", help="Also print the refusal threshold these questions suggest.")
    ] = False,
    beir: Annotated[
        Path | None, typer.Option("--beir", help="A BEIR dataset folder: report nDCG@10 and Recall@100 instead.")
    ] = None,
    beir_index: Annotated[
        Path | None, typer.Option("--beir-index", help="Keep (and reuse) the BEIR index here instead of a temporary folder.")
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also print each question and what went wrong.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Retrieval, answer and refusal figures on question sets (hit@1, hit@k, MRR@10, answers that contain the
    expected phrase, wrong refusals and answers), or nDCG@10 and Recall@100 on a BEIR dataset with --beir."""
    from kb.evaluation import calibrate_threshold, evaluate_peers, is_peer_file, load_peer_questions, load_questions
    from kb.evaluation import evaluate as run_eval

    if beir is not None:
        evaluate_beir(beir, beir_index, as_json)
        return
    if not questions:
        err.print("[red]error:[/red] give a question file (JSONL) or --beir DIR", highlight=False)
        raise typer.Exit(1)
    peer_files = [path for path in questions if path.is_file() and is_peer_file(path)]
    questions = [path for path in questions if path not in peer_files]
    if peer_files:
        with user_errors():
            peers = evaluate_peers(open_kb(), [q for path in peer_files for q in load_peer_questions(path)])
        if as_json and not questions:
            print_json(asdict(peers))
            return
        if not as_json:
            out.print(
                f"peers: {peers.topics} topics, precision@3 {peers.precision_at_3}, recall@3 {peers.recall_at_3}, "
                f"{peers.places_right} of {peers.places} places right",
                highlight=False,
            )
            for topic in peers.results if verbose else []:
                fine = topic.recall_at_3 == 1 and topic.precision_at_3 == 1
                out.print(
                    f"{'ok ' if fine else 'BAD'} {topic.id} {topic.topic}: found {topic.found}, expected {topic.expected}",
                    highlight=False,
                )
        if not questions:
            return
    with user_errors():
        report = run_eval(open_kb(), [q for path in questions for q in load_questions(path)], k=k)
    figures: dict[str, Any] = {
        "questions": report.questions,
        "answerable": report.answerable,
        "hit@1": report.hit_at_1,
        f"hit@{k}": report.hit_at_k,
        "mrr@10": report.mrr_at_10,
        "answers_with_fact": f"{report.answers_with_fact}/{report.answerable}",
        "answer_accuracy": report.answer_accuracy,
        "wrongly_refused": report.wrongly_refused,
        "wrongly_answered": report.wrongly_answered,
    }
    if calibrate:
        figures["suggested_threshold"] = calibrate_threshold(report.results)
    if as_json:
        extra = {"peers": asdict(peers)} if peer_files else {}
        print_json({**figures, "sets": [asdict(s) for s in report.sets], "results": [asdict(r) for r in report.results], **extra})
        return
    for name, value in figures.items():
        out.print(f"{name:18} {value}", highlight=False)
    for s in report.sets:
        out.print(
            f"{s.name}: hit@{k} {s.hit_at_k}, mrr@10 {s.mrr_at_10}, answers with the fact {s.answers_with_fact}/{s.answerable}, "
            f"refused {len(s.wrongly_refused)}/{s.answerable} {s.wrongly_refused}, "
            f"answered without an answer {len(s.wrongly_answered)}/{s.unanswerable} {s.wrongly_answered}",
            highlight=False,
        )
    if verbose:
        for r in report.results:
            correct = bool(r.contains_fact) if r.answerable else not r.confident
            out.print(f"{'ok ' if correct else 'BAD'} {shown(r.id)} rank={r.rank} {shown(r.q)}", highlight=False)
            if not correct:
                out.print(f"    {shown(repr(r.answer))} missing {shown(r.missing)}", style="dim", highlight=False)


def evaluate_beir(directory: Path, index_dir: Path | None, as_json: bool) -> None:
    """Index a BEIR dataset (once) and print dense, lexical and hybrid figures on its test split."""
    import tempfile

    from kb.beir import run_beir

    with (
        user_errors(),
        tempfile.TemporaryDirectory() as scratch,
        embedding_progress(f"embedding {directory.name}") as on_progress,
    ):
        report = run_beir(directory, index_dir or Path(scratch) / "index", on_progress=on_progress)
    results = {name: {"ndcg@10": s.ndcg_at_10, "recall@100": s.recall_at_100} for name, s in report.results.items()}
    if as_json:
        print_json(
            {
                "dataset": report.dataset,
                "queries": report.queries,
                "results": results,
                "fusion": asdict(report.fusion) if report.fusion else None,
                "expansion": report.expansion,
            }
        )
        return
    out.print(
        f"{report.dataset}: {report.queries} test queries; fusion chosen on train: {report.fusion} "
        f"(train nDCG@10 {report.train_ndcg_at_10:.4f}), expansion {'on' if report.expansion else 'off'}",
        highlight=False,
    )
    out.print("| retrieval | nDCG@10 | Recall@100 |\n|---|---|---|", highlight=False)
    for name, figures in results.items():
        out.print(f"| {name} | {figures['ndcg@10']:.4f} | {figures['recall@100']:.4f} |", highlight=False)


@app.command()
def remove(
    doc_ids: Annotated[list[str], typer.Argument(help="Ids of the documents to take out of the index (see `kb docs`).")],
) -> None:
    """Take documents out of the index (their files stay in the corpus; a later sync of it adds them back)."""
    from kb.ingest import remove_documents

    with user_errors():
        report = remove_documents(doc_ids, index_dir=Settings().index_dir)
    out.print(
        f"removed {', '.join(report.removed)}; {report.documents} documents, {report.chunks} chunks in the index", highlight=False
    )


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default KB_HOST, 127.0.0.1).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default KB_PORT, 8000).")] = None,
) -> None:
    """Serve the chat page and the API (OpenAPI docs at /docs)."""
    import uvicorn

    settings = Settings()
    host, port = host or settings.host, port or settings.port
    out.print(f"SFPC knowledge base on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)", highlight=False)
    uvicorn.run("api:app", host=host, port=port, log_level="warning")


@app.command()
def docs(as_json: JsonOption = False) -> None:
    """The indexed documents with their chunk counts."""
    with user_errors():
        documents = open_kb().documents()
    if as_json:
        print_json([asdict(d) for d in documents])
        return
    for d in documents:
        out.print(f"{d.doc_id:40} {d.doc_type:11} {d.date or 'n.d.':10} {d.chunks:4} chunks  {shown(d.title)}", highlight=False)


@app.command()
def restore(
    doc_id: Annotated[str | None, typer.Argument(help="The document to bring back (see --list).")] = None,
    version: Annotated[str | None, typer.Option("--version", help="Which kept version (default: the newest).")] = None,
    list_versions: Annotated[bool, typer.Option("--list", help="List the kept versions instead.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Bring back a replaced, re-described or deleted document from the corpus history."""
    from kb.editing import history, restore_document

    settings = Settings()
    with user_errors():
        if list_versions or doc_id is None:
            versions = history(settings.corpus_dir, doc_id)
            if as_json:
                print_json([asdict(v) for v in versions])
                return
            if not versions:
                out.print("No kept versions.")
            for v in versions:
                title = shown(v.title or "")
                out.print(f"{v.doc_id:32} {v.version}  {v.action:13} {shown(v.file_name)}  {title}", highlight=False)
            return
        chosen, report = restore_document(doc_id, corpus_dir=settings.corpus_dir, index_dir=settings.index_dir, version=version)
    if as_json:
        print_json({"restored": asdict(chosen), "report": asdict(report)})
        return
    kept, size = f"{chosen.action} {chosen.saved_at}", f"{report.documents} documents, {report.chunks} chunks"
    out.print(f"restored {shown(chosen.file_name)} ({kept}); {size} in the index", highlight=False)


@app.command(name="history")
def kept_history(
    doc_id: Annotated[str | None, typer.Argument(help="Only this document's kept versions.")] = None,
    prune: Annotated[
        bool, typer.Option("--prune", help="Remove versions past KB_HISTORY_VERSIONS per document or KB_HISTORY_DAYS old.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """The replaced, re-described and deleted versions kept in corpus/.history (newest first), or prune them."""
    from kb.editing import history, one_edit_at_a_time, prune_history

    settings = Settings()
    with user_errors():
        if prune:
            with one_edit_at_a_time(settings.corpus_dir):
                versions = prune_history(settings.corpus_dir)
        else:
            versions = history(settings.corpus_dir, doc_id)
    if as_json:
        print_json([asdict(v) for v in versions])
        return
    if not versions:
        out.print("Nothing to prune." if prune else "No kept versions.")
    for v in versions:
        by = f"  by {shown(v.editor)}" if v.editor else ""
        line = f"{v.doc_id:32} {v.version}  {v.action:13} {shown(v.file_name)}  {shown(v.title or '')}{by}"
        out.print(f"removed {line}" if prune else line, highlight=False)


@app.command()
def check(
    repair: Annotated[
        bool, typer.Option("--repair/--no-repair", help="Repair what can be repaired (default), or only report.")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Report where corpus files, corpus/.history and the index disagree, and repair what can be repaired
    (exit code 1 while any disagreement remains)."""
    from kb.consistency import check_consistency

    settings = Settings()
    with user_errors():
        report = check_consistency(corpus_dir=settings.corpus_dir, index_dir=settings.index_dir, repair=repair)
    if as_json:
        print_json({**asdict(report), "unrepaired": len(report.unrepaired)})
    else:
        for d in report.disagreements:
            label = "[green]repaired:[/green]" if d.repaired else "[red]disagrees:[/red]"
            out.print(f"{label} {d.kind} {shown(d.subject)}: {shown(d.detail)}", highlight=False)
        left = len(report.unrepaired)
        summary = f"{len(report.disagreements)} disagreements, {len(report.disagreements) - left} repaired, {left} left"
        agree = f"corpus ({report.documents} files), history and index agree"
        out.print(summary if left else f"{agree}{f' ({summary})' if report.disagreements else ''}", highlight=False)
    if report.unrepaired:
        raise typer.Exit(1)


@app.command()
def feedback(
    limit: Annotated[int, typer.Option(min=1, max=10_000, help="How many, newest first.")] = 50,
    unhelpful: Annotated[bool, typer.Option("--unhelpful", help="Only answers marked not helpful.")] = False,
    as_json: JsonOption = False,
) -> None:
    """What practitioners said about answers (helpful or not, and their comments)."""
    from kb.feedback import list_feedback

    with user_errors():
        entries = list_feedback(Settings().feedback_file, limit=limit, helpful=False if unhelpful else None)
    if as_json:
        print_json([asdict(e) for e in entries])
        return
    if not entries:
        out.print("No feedback yet.")
    for e in entries:
        verdict = "[green]helpful[/green]" if e.helpful else "[red]not helpful[/red]"
        sources = ", ".join(f"[{c.get('n')}] {c.get('doc_id')}" for c in e.citations)
        out.print(f"#{e.id} {shown(e.created_at)} {verdict}  {shown(e.question)}", highlight=False)
        out.print(f"    answer: {shown(trim(e.answer, 160))}", highlight=False)
        if sources:
            out.print(f"    cited: {shown(sources)}", highlight=False)
        if e.comment:
            out.print(f"    comment: {shown(e.comment)}", highlight=False)


@app.command()
def gaps(
    recheck: Annotated[
        bool, typer.Option("--recheck", help="Ask the open topics' questions again against the current index.")
    ] = False,
    dismiss: Annotated[int | None, typer.Option("--dismiss", help="Hide the topic with this id.")] = None,
    as_json: JsonOption = False,
) -> None:
    """What practitioners asked and did not get (refused, partly answered, marked not helpful), by topic."""
    from kb.gaps import dismiss_topic, gap_topics, recheck_gaps
    from kb.knowledge_base import ask as ask_kb
    from kb.search import Filters

    settings = Settings()
    with user_errors():
        if dismiss is not None:
            gone = dismiss_topic(settings.gaps_file, dismiss, days=settings.gaps_days)
            out.print(f"dismissed topic {gone.id}: {shown(gone.label)}", highlight=False)
            return
        if recheck:
            kb = open_kb()

            def ask_again(question: str, filters: dict[str, list[str]]) -> Any:
                return ask_kb(kb, question, filters=Filters.parse(**filters), threshold=settings.refusal_threshold)

            topics = recheck_gaps(settings.gaps_file, ask_again, days=settings.gaps_days)
        else:
            topics = gap_topics(settings.gaps_file, days=settings.gaps_days)
    if as_json:
        print_json({"gaps": [asdict(t) for t in topics]})
        return
    if not topics:
        out.print("No unanswered questions kept.")
    for t in topics:
        status = "[green]answered now[/green]" if t.status == "answered" else "[yellow]open[/yellow]"
        reasons = ", ".join(f"{reason} {count}" for reason, count in t.reasons.items())
        line = f"#{t.id} {status} {t.count}x  [bold]{shown(t.label)}[/bold]  ({reasons}; last {t.last_asked})"
        out.print(line, highlight=False)
        for question in (q for q in t.questions if q != t.label):
            out.print(f"    {shown(question)}", highlight=False)
        if t.answer:
            out.print(f"    now: {shown(trim(t.answer, 200))}", highlight=False)


editors_app = typer.Typer(help="Named editors: each has their own key, and the history says who changed what.")
app.add_typer(editors_app, name="editors")


@editors_app.command("add")
def add_editor(name: Annotated[str, typer.Argument(help="The editor's name, as the history will show it.")]) -> None:
    """Give an editor their own key (printed once; only its hash is kept)."""
    from kb.editors import add_editor as add

    with user_errors():
        editor, key = add(Settings().editors_file, name)
    out.print(f"added {shown(editor.name)}; their key (shown only now, give it to them):", highlight=False)
    out.print(key, highlight=False)


@editors_app.command("list")
def list_editors(as_json: JsonOption = False) -> None:
    """The named editors and when each was added (never their keys)."""
    from kb.editors import list_editors as listed

    editors = listed(Settings().editors_file)
    if as_json:
        print_json([asdict(e) for e in editors])
        return
    if not editors:
        out.print("No named editors (KB_API_KEY, if set, is the only key).")
    for editor in editors:
        out.print(f"{shown(editor.name):32} added {editor.added_at}", highlight=False)


@editors_app.command("remove")
def remove_editor(name: Annotated[str, typer.Argument(help="The editor whose key stops working.")]) -> None:
    """Take an editor's key away at once (what they did stays in the history under their name)."""
    from kb.editors import remove_editor as remove

    with user_errors():
        editor = remove(Settings().editors_file, name)
    out.print(f"removed {shown(editor.name)}: their key no longer works", highlight=False)


def citation_line(c: Any) -> str:
    """'[n] Title (kind · date) — section, p. N', every part from the document printed as text."""
    where = ", ".join(x for x in (c.section, f"p. {c.page}" if c.page else "") if x)
    return f"[{c.n}] {shown(c.title)} ({shown(c.source_label)}){' — ' + shown(where) if where else ''}"


# C0 and C1 controls (ESC starts the sequences that clear a screen, retitle a window or hide a link) and the
# bidirectional overrides that reorder what a line seems to say; tab and newline stay.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(value: object) -> str:
    """Text from a document, an upload or a user made safe to print: rich markup escaped, controls replaced."""
    return escape(_CONTROL.sub("\ufffd", str(value)))


def trim(text: str, limit: int = 300) -> str:
    """A passage shortened at a word boundary for terminal display."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: text.rfind(" ", 0, limit)] + " …"


if __name__ == "__main__":
    app()
