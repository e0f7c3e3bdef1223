//! `spark listen`: real-time events over the device websocket, one JSON line each (or a line
//! of text on a terminal), until Ctrl-C.

use clap::{ArgMatches, Command};
use futures_util::StreamExt;
use serde_json::json;
use spark_bot::{EventStream, Incoming};

use super::flag;
use crate::context::Ctx;
use crate::error::{CliError, CliResult};
use crate::output::{Format, write_line};

/// The command.
pub(crate) fn command() -> Command {
    Command::new("listen")
        .about("Prints real-time events (messages, memberships, rooms, cards) as they arrive")
        .after_help("Example:\n  spark listen --json | jq 'select(.resource == \"messages\")'")
        .arg(flag(
            "device-name",
            "The device name to register (default spark-cli)",
        ))
}

/// Runs it.
pub(crate) async fn run(ctx: &Ctx, matches: &ArgMatches) -> CliResult {
    let name = super::opt(matches, "device-name").unwrap_or("spark-cli");
    let mut builder = EventStream::builder(ctx.client.clone()).device_name(name);
    let base = ctx.client.http().base_url().as_uri().to_string();
    if !base.contains("webexapis.com") && !base.contains("ciscospark.com") {
        let origin = base.trim_end_matches('/').trim_end_matches("/v1");
        builder = builder.u2c_url(format!("{origin}/u2c/api/v1"));
    }
    let mut events = builder
        .connect()
        .await
        .map_err(|error| CliError::Other(format!("cannot open the event stream: {error}")))?;
    if ctx.progress.enabled() {
        anstream::eprintln!("listening (Ctrl-C stops)");
    }
    loop {
        let item = tokio::select! {
            item = events.next() => item,
            _ = tokio::signal::ctrl_c() => None,
        };
        let Some(item) = item else { return Ok(()) };
        let item = item.map_err(|error| CliError::Other(format!("event stream: {error}")))?;
        let Incoming::Event(event) = item else {
            continue;
        };
        let line = json!({
            "kind": format!("{:?}", event.kind),
            "actorId": event.actor_id,
            "data": event.data,
        });
        match ctx.out.format {
            Format::Json => write_line(&line.to_string())?,
            Format::Table => write_line(&format!(
                "{:<18} {} {}",
                line["kind"].as_str().unwrap_or_default(),
                event.data.id.as_deref().unwrap_or_default(),
                event.data.room_id.as_deref().unwrap_or_default()
            ))?,
        }
    }
}
