"""What a dbt model reads, from the manifest: its raw sources and the ingest streams
that land them. The weekly run holds back a partner whose delivery model reads a stream
the week's ingest left incomplete, and delivers the others."""

from __future__ import annotations

from typing import Any

from ingest.tasks import stream_of_table


def sources_read_by(manifest: dict[str, Any], model: str) -> set[str]:
    """The source tables (`source.table`) upstream of model `model`, through every parent."""
    nodes = [uid for uid, node in manifest.get("nodes", {}).items() if node.get("name") == model]
    if not nodes:
        raise KeyError(f"model {model!r} is not in the manifest")
    parents = manifest.get("parent_map", {})
    seen, stack = set(nodes), list(nodes)
    while stack:
        for parent in parents.get(stack.pop(), []):
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    sources = manifest.get("sources", {})
    return {
        f"{sources[uid]['source_name']}.{sources[uid]['name']}"
        for uid in seen
        if uid.startswith("source.") and uid in sources
    }


def streams_read_by(manifest: dict[str, Any], model: str) -> set[str]:
    """The ingest streams whose raw tables model `model` reads (the ledger is not one)."""
    streams = set()
    for source in sources_read_by(manifest, model):
        stream = stream_of_table(source.partition(".")[2])
        if stream is not None:
            streams.add(stream)
    return streams
