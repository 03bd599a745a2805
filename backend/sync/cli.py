"""Sync commands: `flask --app backend resolve-conflicts` and `... upstream-sync URL`."""

from __future__ import annotations

import click

from backend.sync import conflicts, upstream


@click.command("resolve-conflicts")
def resolve_conflicts_command() -> None:
    """Merge every open conflict of persons, households and tasks (losers are archived)."""
    merged = conflicts.resolve_pending()
    click.echo(f"Merged {len(merged)} conflicted documents.")


@click.command("upstream-sync")
@click.argument("url")
@click.option("--direction", type=click.Choice(["both", "pull", "push"]), default="both",
              show_default=True)
@click.option("--batch-size", default=200, show_default=True)
def upstream_sync_command(url: str, direction: str, batch_size: int) -> None:
    """Replicate with an upstream CouchDB database URL (credentials in the URL)."""
    try:
        remote = upstream.connect(url)
    except Exception as exc:  # the couchdb package raises socket and HTTP errors alike
        raise click.ClickException(f"{upstream.public_url(url)}: {exc}") from exc
    steps = [upstream.pull, upstream.push]
    for step in steps if direction == "both" else [getattr(upstream, direction)]:
        report = step(remote, batch_size)
        click.echo(f"{report.direction}: read {report.docs_read}, wrote {report.docs_written}, "
                   f"refused {len(report.failures)}, checkpoint {report.last_seq}")
        for failure in report.failures[:20]:
            click.echo(f"  {failure.get('id')}: {failure.get('error')} {failure.get('reason', '')}")


COMMANDS = (resolve_conflicts_command, upstream_sync_command)
