//! `spark memberships list|get|create|update|delete`: who is in which room.

use clap::{ArgMatches, Command};
use http::Method;
use serde_json::Value;

use super::{body, flag, id, id_arg, opt, query, sub, switch, unknown};
use crate::context::{Ctx, path};
use crate::error::{CliError, CliResult};

const COLUMNS: &[&str] = &[
    "id",
    "personEmail",
    "personDisplayName",
    "isModerator",
    "roomId",
];

/// The command.
pub(crate) fn command() -> Command {
    Command::new("memberships")
        .about("Memberships: who is in which room")
        .after_help(
            "Examples:\n  spark memberships list --room ROOM_ID\n  spark memberships create --room ROOM_ID --person-email grace@example.com",
        )
        .subcommand_required(true)
        .subcommand(
            Command::new("list")
                .about("Lists memberships (of a room, of a person)")
                .arg(flag("room", "Room id"))
                .arg(flag("person-id", "Person id"))
                .arg(flag("person-email", "Person email"))
                .arg(flag("max", "Page size")),
        )
        .subcommand(Command::new("get").about("One membership").arg(id_arg("Membership id")))
        .subcommand(
            Command::new("create")
                .about("Adds a person to a room")
                .arg(flag("room", "Room id").required(true))
                .arg(flag("person-id", "Person id"))
                .arg(flag("person-email", "Person email"))
                .arg(switch("moderator", "Make them a moderator")),
        )
        .subcommand(
            Command::new("update")
                .about("Makes a member a moderator or not")
                .arg(id_arg("Membership id"))
                .arg(
                    flag("moderator", "true or false")
                        .required(true)
                        .value_parser(clap::value_parser!(bool)),
                ),
        )
        .subcommand(
            Command::new("delete")
                .about("Removes a member from a room")
                .arg(id_arg("Membership id")),
        )
}

/// Runs it.
pub(crate) async fn run(ctx: &Ctx, matches: &ArgMatches) -> CliResult {
    match sub(matches)? {
        ("list", m) => {
            let pairs = query(
                m,
                &[
                    ("room", "roomId"),
                    ("person-id", "personId"),
                    ("person-email", "personEmail"),
                    ("max", "max"),
                ],
            );
            ctx.list("memberships", &pairs, COLUMNS).await
        }
        ("get", m) => ctx.show(&path(&["memberships", id(m)?]), &[]).await,
        ("create", m) => {
            if opt(m, "person-id").is_none() && opt(m, "person-email").is_none() {
                return Err(CliError::Usage(
                    "give --person-id or --person-email".to_owned(),
                ));
            }
            let mut fields = body(
                m,
                &[
                    ("room", "roomId"),
                    ("person-id", "personId"),
                    ("person-email", "personEmail"),
                ],
            );
            if m.get_flag("moderator") {
                fields.insert("isModerator".to_owned(), Value::Bool(true));
            }
            ctx.send(Method::POST, "memberships", &Value::Object(fields))
                .await
        }
        ("update", m) => {
            let moderator = m.get_one::<bool>("moderator").copied().unwrap_or(false);
            let fields = serde_json::json!({"isModerator": moderator});
            ctx.send(Method::PUT, &path(&["memberships", id(m)?]), &fields)
                .await
        }
        ("delete", m) => {
            let membership = id(m)?;
            ctx.delete(
                &path(&["memberships", membership]),
                &format!("membership {membership}"),
            )
            .await
        }
        (other, _) => Err(unknown(other)),
    }
}
