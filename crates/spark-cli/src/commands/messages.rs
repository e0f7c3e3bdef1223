//! `spark messages list|send|get|delete`: text, Markdown, threads and files.

use clap::{ArgGroup, ArgMatches, Command};
use spark_api::FileUpload;
use spark_api::model::CreateMessage;

use super::{flag, id, id_arg, opt, query, sub, unknown};
use crate::context::{Ctx, path};
use crate::error::{CliError, CliResult};

const COLUMNS: &[&str] = &["id", "personEmail", "text", "files", "created"];

/// The command.
pub(crate) fn command() -> Command {
    Command::new("messages")
        .about("Messages: list, send (text, Markdown, a file, in a thread), get, delete")
        .after_help(
            "Examples:\n  spark messages list --room ROOM_ID --limit 20\n  spark messages send --room ROOM_ID --markdown '**hello**'\n  spark messages send --to grace@example.com --text 'the report' --file report.pdf\n  spark messages send --room ROOM_ID --text 'agreed' --thread MESSAGE_ID",
        )
        .subcommand_required(true)
        .subcommand(
            Command::new("list")
                .about("Lists a room's messages, newest first")
                .arg(flag("room", "Room id").required(true))
                .arg(flag("before", "Only messages before this time (ISO 8601)"))
                .arg(flag("before-message", "Only messages before this message id"))
                .arg(flag("mentioned-people", "`me`, or person ids"))
                .arg(flag("thread", "Only the replies to this message"))
                .arg(flag("max", "Page size")),
        )
        .subcommand(
            Command::new("send")
                .about("Posts a message to a room or a person, with a file if given")
                .arg(flag("room", "Room id"))
                .arg(flag("to", "A person's email or id (a direct message)"))
                .group(ArgGroup::new("target").args(["room", "to"]).required(true))
                .arg(flag("text", "Plain text"))
                .arg(flag("markdown", "Markdown"))
                .arg(flag("file", "A local file to attach (shows a progress bar)"))
                .group(
                    ArgGroup::new("content")
                        .args(["text", "markdown", "file"])
                        .multiple(true)
                        .required(true),
                )
                .arg(flag("thread", "Reply in the thread of this message")),
        )
        .subcommand(Command::new("get").about("One message").arg(id_arg("Message id")))
        .subcommand(Command::new("delete").about("Deletes a message").arg(id_arg("Message id")))
}

/// Runs it.
pub(crate) async fn run(ctx: &Ctx, matches: &ArgMatches) -> CliResult {
    match sub(matches)? {
        ("list", m) => {
            let pairs = query(
                m,
                &[
                    ("room", "roomId"),
                    ("before", "before"),
                    ("before-message", "beforeMessage"),
                    ("mentioned-people", "mentionedPeople"),
                    ("thread", "parentId"),
                    ("max", "max"),
                ],
            );
            ctx.list("messages", &pairs, COLUMNS).await
        }
        ("send", m) => send(ctx, m).await,
        ("get", m) => ctx.show(&path(&["messages", id(m)?]), &[]).await,
        ("delete", m) => {
            let message = id(m)?;
            ctx.delete(&path(&["messages", message]), &format!("message {message}"))
                .await
        }
        (other, _) => Err(unknown(other)),
    }
}

async fn send(ctx: &Ctx, m: &ArgMatches) -> CliResult {
    let mut message = match (opt(m, "room"), opt(m, "to")) {
        (Some(room), None) => CreateMessage::to_room(room),
        (None, Some(to)) if to.contains('@') => CreateMessage::to_person_email(to),
        (None, Some(to)) => CreateMessage::to_person_id(to),
        _ => return Err(CliError::Usage("give one of --room and --to".to_owned())),
    };
    if let Some(text) = opt(m, "text") {
        message = message.text(text);
    }
    if let Some(markdown) = opt(m, "markdown") {
        message = message.markdown(markdown);
    }
    if let Some(thread) = opt(m, "thread") {
        message = message.parent_id(thread);
    }
    let sent = match opt(m, "file") {
        Some(file) => {
            let bar = ctx.progress.bytes("uploading");
            let shown = bar.clone();
            let upload = FileUpload::from_path(file).await.map_err(|error| {
                CliError::Other(format!(
                    "cannot read {file}: {}",
                    crate::error::CliError::from(error)
                ))
            })?;
            let upload = upload.on_progress(move |progress| {
                if let Some(total) = progress.total {
                    shown.set_length(total);
                }
                shown.set_position(progress.done);
            });
            let sent = ctx.client.messages().upload(&message, upload).await;
            bar.finish_and_clear();
            sent?
        }
        None => ctx.client.messages().create(&message).await?,
    };
    let value = serde_json::to_value(&sent).map_err(|e| CliError::Other(e.to_string()))?;
    ctx.out.value(&value)
}
