//! `spark rooms list|get|create|update|delete`.

use clap::{ArgMatches, Command};
use http::Method;
use serde_json::Value;

use super::{body, flag, id, id_arg, query, sub, unknown};
use crate::context::{Ctx, path};
use crate::error::{CliError, CliResult};

const COLUMNS: &[&str] = &["id", "title", "type", "lastActivity"];
const LIST_FLAGS: &[(&str, &str)] = &[
    ("team-id", "teamId"),
    ("type", "type"),
    ("sort-by", "sortBy"),
    ("max", "max"),
];

/// The command.
pub(crate) fn command() -> Command {
    Command::new("rooms")
        .about("Rooms (spaces)")
        .after_help(
            "Examples:\n  spark rooms list --limit 10\n  spark rooms create --title \"Design review\"\n  spark rooms delete ROOM_ID",
        )
        .subcommand_required(true)
        .subcommand(
            Command::new("list")
                .about("Lists your rooms")
                .arg(flag("team-id", "Only the rooms of this team"))
                .arg(flag("type", "direct or group"))
                .arg(flag("sort-by", "id, lastactivity or created"))
                .arg(flag("max", "Page size")),
        )
        .subcommand(Command::new("get").about("One room").arg(id_arg("Room id")))
        .subcommand(
            Command::new("create")
                .about("Creates a room")
                .arg(flag("title", "The room's title").required(true))
                .arg(flag("team-id", "Create it in this team")),
        )
        .subcommand(
            Command::new("update")
                .about("Renames a room")
                .arg(id_arg("Room id"))
                .arg(flag("title", "The new title").required(true)),
        )
        .subcommand(Command::new("delete").about("Deletes a room").arg(id_arg("Room id")))
}

/// Runs it.
pub(crate) async fn run(ctx: &Ctx, matches: &ArgMatches) -> CliResult {
    match sub(matches)? {
        ("list", m) => ctx.list("rooms", &query(m, LIST_FLAGS), COLUMNS).await,
        ("get", m) => ctx.show(&path(&["rooms", id(m)?]), &[]).await,
        ("create", m) => {
            let fields = body(m, &[("title", "title"), ("team-id", "teamId")]);
            ctx.send(Method::POST, "rooms", &Value::Object(fields))
                .await
        }
        ("update", m) => {
            let fields = body(m, &[("title", "title")]);
            if fields.is_empty() {
                return Err(CliError::Usage("nothing to update".to_owned()));
            }
            ctx.send(
                Method::PUT,
                &path(&["rooms", id(m)?]),
                &Value::Object(fields),
            )
            .await
        }
        ("delete", m) => {
            let room = id(m)?;
            ctx.delete(&path(&["rooms", room]), &format!("room {room}"))
                .await
        }
        (other, _) => Err(unknown(other)),
    }
}
