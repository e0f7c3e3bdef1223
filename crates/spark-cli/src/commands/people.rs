//! `spark people me|list|get`.

use clap::{ArgMatches, Command};

use super::{flag, id, id_arg, query, sub, unknown};
use crate::context::{Ctx, path};
use crate::error::CliResult;

const COLUMNS: &[&str] = &["id", "displayName", "emails", "type", "created"];
const LIST_FLAGS: &[(&str, &str)] = &[
    ("email", "email"),
    ("display-name", "displayName"),
    ("id-list", "id"),
    ("org-id", "orgId"),
    ("max", "max"),
];

/// The command.
pub(crate) fn command() -> Command {
    Command::new("people")
        .about("People: who you are, who is in the organization")
        .after_help("Examples:\n  spark people me\n  spark people list --email ada@example.com")
        .subcommand_required(true)
        .subcommand(Command::new("me").about("The person the token belongs to"))
        .subcommand(
            Command::new("list")
                .about("Lists people (by email, display name or ids)")
                .arg(flag("email", "Email address"))
                .arg(flag("display-name", "Display name (prefix)"))
                .arg(flag("id-list", "Comma-separated person ids"))
                .arg(flag("org-id", "Organization id"))
                .arg(flag("max", "Page size")),
        )
        .subcommand(
            Command::new("get")
                .about("One person")
                .arg(id_arg("Person id")),
        )
}

/// Runs it.
pub(crate) async fn run(ctx: &Ctx, matches: &ArgMatches) -> CliResult {
    match sub(matches)? {
        ("me", _) => ctx.show("people/me", &[]).await,
        ("list", m) => ctx.list("people", &query(m, LIST_FLAGS), COLUMNS).await,
        ("get", m) => ctx.show(&path(&["people", id(m)?]), &[]).await,
        (other, _) => Err(unknown(other)),
    }
}
