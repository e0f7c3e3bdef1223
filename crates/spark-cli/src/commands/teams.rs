//! `spark teams list|get|create|update|delete`.

use clap::{ArgMatches, Command};
use http::Method;
use serde_json::Value;

use super::{body, flag, id, id_arg, query, sub, unknown};
use crate::context::{Ctx, path};
use crate::error::CliResult;

const COLUMNS: &[&str] = &["id", "name", "created"];

/// The command.
pub(crate) fn command() -> Command {
    Command::new("teams")
        .about("Teams")
        .after_help("Examples:\n  spark teams list\n  spark teams create --name Platform")
        .subcommand_required(true)
        .subcommand(
            Command::new("list")
                .about("Lists your teams")
                .arg(flag("max", "Page size")),
        )
        .subcommand(Command::new("get").about("One team").arg(id_arg("Team id")))
        .subcommand(
            Command::new("create")
                .about("Creates a team")
                .arg(flag("name", "The team's name").required(true)),
        )
        .subcommand(
            Command::new("update")
                .about("Renames a team")
                .arg(id_arg("Team id"))
                .arg(flag("name", "The new name").required(true)),
        )
        .subcommand(
            Command::new("delete")
                .about("Deletes a team")
                .arg(id_arg("Team id")),
        )
}

/// Runs it.
pub(crate) async fn run(ctx: &Ctx, matches: &ArgMatches) -> CliResult {
    match sub(matches)? {
        ("list", m) => {
            ctx.list("teams", &query(m, &[("max", "max")]), COLUMNS)
                .await
        }
        ("get", m) => ctx.show(&path(&["teams", id(m)?]), &[]).await,
        ("create", m) => {
            let fields = body(m, &[("name", "name")]);
            ctx.send(Method::POST, "teams", &Value::Object(fields))
                .await
        }
        ("update", m) => {
            let fields = body(m, &[("name", "name")]);
            ctx.send(
                Method::PUT,
                &path(&["teams", id(m)?]),
                &Value::Object(fields),
            )
            .await
        }
        ("delete", m) => {
            let team = id(m)?;
            ctx.delete(&path(&["teams", team]), &format!("team {team}"))
                .await
        }
        (other, _) => Err(unknown(other)),
    }
}
