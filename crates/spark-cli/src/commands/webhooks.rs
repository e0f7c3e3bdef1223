//! `spark webhooks list|get|create|update|delete`.

use clap::{ArgMatches, Command};
use http::Method;
use serde_json::Value;

use super::{body, flag, id, id_arg, query, sub, unknown};
use crate::context::{Ctx, path};
use crate::error::CliResult;

const COLUMNS: &[&str] = &["id", "name", "resource", "event", "targetUrl", "status"];
const FIELDS: &[(&str, &str)] = &[
    ("name", "name"),
    ("target-url", "targetUrl"),
    ("resource", "resource"),
    ("event", "event"),
    ("filter", "filter"),
    ("secret", "secret"),
    ("status", "status"),
];

/// The command.
pub(crate) fn command() -> Command {
    let fields = |command: Command, required: bool| {
        command
            .arg(flag("name", "A name for it").required(required))
            .arg(flag("target-url", "Where deliveries go").required(required))
            .arg(flag("resource", "messages, rooms, memberships, ...").required(required))
            .arg(flag("event", "created, updated, deleted or all").required(required))
            .arg(flag("filter", "e.g. roomId=ROOM_ID"))
            .arg(flag("secret", "Signs each delivery (X-Spark-Signature)"))
    };
    Command::new("webhooks")
        .about("Webhooks")
        .after_help(
            "Examples:\n  spark webhooks list\n  spark webhooks create --name bot --target-url https://example.com/hook --resource messages --event created",
        )
        .subcommand_required(true)
        .subcommand(Command::new("list").about("Lists your webhooks").arg(flag("max", "Page size")))
        .subcommand(Command::new("get").about("One webhook").arg(id_arg("Webhook id")))
        .subcommand(fields(Command::new("create").about("Creates a webhook"), true))
        .subcommand(
            Command::new("update")
                .about("Changes a webhook's name, target, secret or status")
                .arg(id_arg("Webhook id"))
                .arg(flag("name", "A name for it").required(true))
                .arg(flag("target-url", "Where deliveries go").required(true))
                .arg(flag("secret", "Signs each delivery"))
                .arg(flag("status", "active or inactive")),
        )
        .subcommand(Command::new("delete").about("Deletes a webhook").arg(id_arg("Webhook id")))
}

/// Runs it.
pub(crate) async fn run(ctx: &Ctx, matches: &ArgMatches) -> CliResult {
    match sub(matches)? {
        ("list", m) => {
            ctx.list("webhooks", &query(m, &[("max", "max")]), COLUMNS)
                .await
        }
        ("get", m) => ctx.show(&path(&["webhooks", id(m)?]), &[]).await,
        ("create", m) => {
            ctx.send(Method::POST, "webhooks", &Value::Object(body(m, FIELDS)))
                .await
        }
        ("update", m) => {
            let fields = Value::Object(body(m, FIELDS));
            ctx.send(Method::PUT, &path(&["webhooks", id(m)?]), &fields)
                .await
        }
        ("delete", m) => {
            let hook = id(m)?;
            ctx.delete(&path(&["webhooks", hook]), &format!("webhook {hook}"))
                .await
        }
        (other, _) => Err(unknown(other)),
    }
}
