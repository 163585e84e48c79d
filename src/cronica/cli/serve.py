"""``cronica serve`` (the analyst's workbench) and ``cronica user`` (accounts)."""

from __future__ import annotations

import sys

import click

from cronica.cli.base import db_option, main


@main.command()
@db_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--public", is_flag=True, help="Let anyone read without logging in (writing still needs a login).")
@click.option("--tiles", metavar="URL", envvar="CRONICA_TILES", default=None,
              help="Tile-server URL template for the map, e.g. https://tile.example.org/{z}/{x}/{y}.png "
                   "(env CRONICA_TILES). Default: no tiles, only the shipped country outlines (offline).")
@click.option("--tiles-attribution", metavar="TEXT", default=None, help="Attribution shown under the tiles.")
def serve(db_url: str, host: str, port: int, public: bool, tiles: str | None, tiles_attribution: str | None) -> None:
    """Run the workbench: web pages and the JSON API (/api/v1) in one process."""
    import uvicorn

    from cronica.serve.app import create_app
    from cronica.store import StoreError

    try:
        app = create_app(db_url, public=public, tiles=tiles, tiles_attribution=tiles_attribution)
    except (StoreError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"cronica workbench on http://{host}:{port}/ ({'public read-only' if public else 'login required'})",
               err=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


@main.group()
def user() -> None:
    """Manage workbench accounts."""


def _engine(db_url: str):  # type: ignore[no-untyped-def]
    from cronica.store import Cronica, StoreError

    try:
        return Cronica(db_url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


@user.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["reader", "editor", "admin"]), default="reader", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@db_option
def user_add(name: str, role: str, password_stdin: bool, db_url: str) -> None:
    """Create user NAME (prompts for the password unless --password-stdin)."""
    from cronica.serve.accounts import AccountError, add_user, check_name

    try:
        check_name(name)
    except AccountError as exc:
        raise click.BadParameter(str(exc), param_hint="NAME") from None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _engine(db_url) as db:
        try:
            u = add_user(db.engine, name, password, role)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"added {u.name} ({u.role})")


@user.command("token")
@click.argument("name")
@db_option
def user_token(name: str, db_url: str) -> None:
    """Print a new API token for user NAME (use it as 'Authorization: Bearer TOKEN')."""
    from cronica.serve.accounts import AccountError, create_token

    with _engine(db_url) as db:
        try:
            click.echo(create_token(db.engine, name))
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None


@user.command("list")
@db_option
def user_list(db_url: str) -> None:
    """List users and their roles."""
    from cronica.serve.accounts import list_users

    with _engine(db_url) as db:
        for u in list_users(db.engine):
            click.echo(f"{u.name}\t{u.role}")


def _read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return str(click.prompt("New password", hide_input=True, confirmation_prompt=True))


@user.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
@db_option
def user_passwd(name: str, password_stdin: bool, db_url: str) -> None:
    """Set a new password for user NAME; every browser session of NAME ends at once
    (API tokens stay: see 'cronica user revoke-token')."""
    from cronica.serve.accounts import AccountError, set_password

    password = _read_password(password_stdin)
    with _engine(db_url) as db:
        try:
            ended = set_password(db.engine, name, password)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"password of {name} changed; {ended} session(s) ended")


@user.command("revoke-token")
@click.argument("name")
@db_option
def user_revoke_token(name: str, db_url: str) -> None:
    """Revoke every API token of user NAME and end every browser session of NAME at once."""
    from cronica.serve.accounts import AccountError, revoke

    with _engine(db_url) as db:
        try:
            sessions, tokens = revoke(db.engine, name)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"{name}: {tokens} token(s) revoked, {sessions} session(s) ended")


@user.command("delete")
@click.argument("name")
@db_option
def user_delete(name: str, db_url: str) -> None:
    """Delete user NAME with its API tokens and sessions (review history keeps the name)."""
    from cronica.serve.accounts import AccountError, delete_user

    with _engine(db_url) as db:
        try:
            delete_user(db.engine, name)
        except AccountError as exc:
            raise click.ClickException(str(exc)) from None
    click.echo(f"deleted {name}")
