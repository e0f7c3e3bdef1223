//! `spark contents download ID -o DIR`: a message's file, saved under its own name made safe.

use clap::{ArgMatches, Command};
use spark_api::DownloadOptions;

use super::{flag, id, id_arg, opt, sub, switch, unknown};
use crate::context::Ctx;
use crate::error::CliResult;

/// The command.
pub(crate) fn command() -> Command {
    Command::new("contents")
        .about("Files attached to messages")
        .after_help("Example:\n  spark contents download CONTENT_ID -o downloads/")
        .subcommand_required(true)
        .subcommand(
            Command::new("download")
                .about("Downloads a file (an id or a content URL) into a directory")
                .arg(id_arg("Content id, or the URL from a message's `files`"))
                .arg(
                    flag(
                        "output",
                        "Directory to save into, made when missing (default: the current one)",
                    )
                    .short('o'),
                )
                .arg(switch(
                    "allow-unscannable",
                    "Accept a file the malware scan could not check",
                )),
        )
}

/// Runs it.
pub(crate) async fn run(ctx: &Ctx, matches: &ArgMatches) -> CliResult {
    match sub(matches)? {
        ("download", m) => {
            let dir = opt(m, "output").unwrap_or(".");
            // As `recordings download` does: the directory is made when missing.
            std::fs::create_dir_all(dir).map_err(|error| {
                crate::error::CliError::Other(format!("cannot create {dir}: {error}"))
            })?;
            let (bar, follow) = ctx.progress.download("downloading");
            let options = DownloadOptions::default()
                .allow_unscannable(m.get_flag("allow-unscannable"))
                .on_progress(follow);
            let saved = ctx
                .client
                .contents()
                .download_to_dir(id(m)?, dir, options)
                .await;
            bar.finish_and_clear();
            let (path, info) = saved?;
            match ctx.out.format {
                crate::output::Format::Table => ctx.out.done(&format!(
                    "saved {} ({} bytes)",
                    path.display(),
                    info.size.map_or_else(|| "?".to_owned(), |s| s.to_string())
                )),
                crate::output::Format::Json => ctx.out.value(&serde_json::json!({
                    "path": path.display().to_string(),
                    "fileName": info.file_name,
                    "size": info.size,
                    "contentType": info.content_type,
                })),
            }
        }
        (other, _) => Err(unknown(other)),
    }
}
