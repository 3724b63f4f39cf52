"""CLI commands of the market's matching engine: `market search` (batch), `market embed` and
`market index` (the market's own persistent index)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

from fourchain.bootstrap import open_services
from fourchain.bootstrap.search import (
    DEFAULT_MODEL,
    MODELS,
    Profile,
    embedding_job,
    engine_builder,
    read_corpus,
    read_queries,
)
from fourchain.entrypoints.cli.options import (
    DbOption,
    DistrictFilter,
    FieldFilter,
    IpFilter,
    JsonFlag,
    TrlMax,
    TrlMin,
    match_filters,
)
from fourchain.errors import InvalidInput
from fourchain.services.matching import MODES, batch_search

market_app = typer.Typer(
    help="技术市场 Technology market: matching engine (search, embeddings).",
    no_args_is_help=True,
)

CorpusOption = Annotated[
    Path,
    typer.Option(
        "--corpus", help='JSON lines: {"id", "title", "abstract", "keywords"} per record.'
    ),
]
ModelOption = Annotated[str, typer.Option("--model", help=f"Embedding model: {', '.join(MODELS)}.")]


@contextmanager
def _progress(description: str) -> Iterator[Callable[[int, int], None]]:
    """A rich progress bar on stderr (stdout stays clean for JSON lines)."""
    columns = (*Progress.get_default_columns()[:1], BarColumn(), MofNCompleteColumn())
    with Progress(
        *columns, TimeRemainingColumn(), console=Console(stderr=True), transient=True
    ) as bar:
        task = bar.add_task(description, total=None)

        def update(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield update


@market_app.command("search")
def search(
    corpus: CorpusOption,
    queries: Annotated[
        Path, typer.Option("--queries", help='JSON lines: {"id", "text"} per query.')
    ],
    top: Annotated[int, typer.Option("--top", help="Results per query.")] = 10,
    mode: Annotated[str, typer.Option("--mode", help=f"Retrieval: {', '.join(MODES)}.")] = "bm25",
    as_json: JsonFlag = False,
    model: ModelOption = DEFAULT_MODEL,
    embeddings: Annotated[
        Path | None,
        typer.Option("--embeddings", help="Reuse the vectors of a `market embed --out` folder."),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="Add each match's explanation to the JSON.")
    ] = False,
    field: FieldFilter = None,
    trl_min: TrlMin = None,
    trl_max: TrlMax = None,
    ip_status: IpFilter = None,
    district: DistrictFilter = None,
    analyzer: Annotated[
        str,
        typer.Option(
            "--analyzer",
            help="Tokens: bigram+jieba (default) or bigram (about 30× faster to index, for "
            "million-record corpora; the same nDCG on the CSL records).",
        ),
    ] = Profile.BIGRAM_JIEBA.value,
) -> None:
    """Search every query against the corpus; one result line per query. Filters use the
    corpus lines' optional `field`, `trl`, `ip_status` and `district`."""
    if mode not in MODES:
        raise InvalidInput(f"--mode must be one of {', '.join(MODES)}, got {mode!r}")
    if model not in MODELS:
        raise InvalidInput(f"--model must be one of {', '.join(MODELS)}, got {model!r}")
    documents = read_corpus(corpus)
    query_lines = read_queries(queries)
    builder = engine_builder(model, embeddings, analyzer, len(documents))
    with _progress("嵌入 Embedding the corpus") as update:
        results = batch_search(
            documents,
            query_lines,
            top=top,
            mode=mode,
            build=builder,
            filters=match_filters(field, trl_min, trl_max, ip_status, district),
            progress=update,
        )
    if as_json:
        for result in results:
            typer.echo(json.dumps(result.as_json(explain=explain), ensure_ascii=False))
        return
    for result in results:
        typer.echo(f"{result.query_id}")
        for match in result.matches:
            line = f"  {match.rank:>3}. {match.id}  {match.score:.4f}"
            if explain:
                line += f"  {match.explanation.summary_zh()}"
            typer.echo(line)


@market_app.command("embed")
def embed(
    corpus: CorpusOption,
    out: Annotated[Path, typer.Option("--out", help="Folder for the vectors and checkpoint.")],
    model: ModelOption = DEFAULT_MODEL,
    batch_size: Annotated[int, typer.Option("--batch-size", help="Texts per batch.")] = 64,
    shard_size: Annotated[
        int, typer.Option("--shard-size", help="Rows per checkpointed shard.")
    ] = 1024,
    dtype: Annotated[str, typer.Option("--dtype", help="float16 or float32.")] = "float16",
) -> None:
    """Embed a corpus ahead of time; an interrupted run resumes where it stopped."""
    documents = read_corpus(corpus)
    job = embedding_job(out, model, batch_size=batch_size, shard_size=shard_size, dtype=dtype)
    with _progress(f"嵌入 Embedding with {model}") as update:
        path = job.run([d.id for d in documents], [d.text for d in documents], update)
    typer.echo(f"{len(documents)} documents embedded with {model}: {path}")


@market_app.command("index")
def index(
    db: DbOption = None,
    embed_vectors: Annotated[
        bool,
        typer.Option(
            "--embed", help="Also compute every record's vector (resumable), for hybrid matching."
        ),
    ] = False,
) -> None:
    """Build or bring up to date the market's matching index (achievements, experts,
    institutions, enterprises) kept beside the database."""
    with open_services(db) as services:
        matching = services.market.matching()
        report = matching.sync()
        typer.echo(f"匹配索引 matching index: {report}")
        if embed_vectors:
            with _progress("语义向量 Embedding the records") as update:
                count = matching.embed(update)
            typer.echo(f"{count} records have vectors: hybrid matching is on")
        with _progress("匹配答案 Answering the records' matches ahead") as update:
            kept = matching.warm(update)
        typer.echo(f"{kept} matches answered ahead (the records' own matches pages)")


KindOption = Annotated[
    list[str] | None,
    typer.Option(
        "--kind",
        help="achievement, expert, institution or enterprise (repeatable; default: all four).",
    ),
]


@market_app.command("query")
def query(
    text: Annotated[str, typer.Argument(help="What to look for, in Chinese or English.")],
    db: DbOption = None,
    kind: KindOption = None,
    top: Annotated[int, typer.Option("--top", help="At most this many of each kind.")] = 10,
    mode: Annotated[
        str | None,
        typer.Option(
            "--mode",
            help=f"One of {', '.join(MODES)} (default: hybrid once the vectors are there).",
        ),
    ] = None,
    as_json: JsonFlag = False,
    field: FieldFilter = None,
    trl_min: TrlMin = None,
    trl_max: TrlMax = None,
    ip_status: IpFilter = None,
    district: DistrictFilter = None,
) -> None:
    """Free-text search of the market: achievements, experts, institutions and enterprises,
    each kind ranked on its own, with a 0–100 relevance and the terms that matched."""
    from fourchain.domain.matching import DocumentKind
    from fourchain.entrypoints.cli.market_records import CONSOLE_VIEWER, _matching, _print_found
    from fourchain.services.market_matching import QUERY_FINDS

    kinds = QUERY_FINDS
    if kind:
        try:
            kinds = frozenset(DocumentKind(k) for k in kind)
        except ValueError:
            raise InvalidInput(
                f"--kind must be among achievement, expert, institution, enterprise; got {kind}"
            ) from None
    filters = match_filters(field, trl_min, trl_max, ip_status, district)
    with contextmanager(_matching)(db) as matching:
        found = matching.query(
            CONSOLE_VIEWER, text, kinds=kinds, top=top, mode=mode, filters=filters
        )
    _print_found(f"检索 Search: {text}", found, as_json)


def register(app: typer.Typer) -> None:
    """Add this area's commands to the fourchain app."""
    app.add_typer(market_app, name="market")
