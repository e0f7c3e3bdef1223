//! `spark recordings download ID -o DIR`: a meeting recording's files (the recording, its
//! audio, its transcript), fetched from the `temporaryDirectDownloadLinks` of its details with
//! the library's download API and saved in DIR under the names the server gives, made safe. A
//! file already in DIR is left alone and the command fails (exit code 1) unless `--force`. The
//! other `spark recordings` commands are the generated ones.

use std::path::Path;

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use serde_json::Value;
use spark_api::DownloadOptions;
use spark_api::file_name::safe_file_name;

use super::{flag, id, id_arg, opt, sub, switch, unknown};
use crate::context::{Ctx, path};
use crate::error::{CliError, CliResult};
use crate::output::Format;
use crate::staging::{Staging, place};

/// The largest file taken by default: 4 GiB (a long meeting's recording is a few).
const DEFAULT_MAX_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// The files a recording can have: the name on the command line and the field of
/// `temporaryDirectDownloadLinks` that links to it.
const KINDS: [(&str, &str); 3] = [
    ("recording", "recordingDownloadLink"),
    ("audio", "audioDownloadLink"),
    ("transcript", "transcriptDownloadLink"),
];

/// The command: `download` here, the generated ones added beside it.
pub(crate) fn command() -> Command {
    Command::new("recordings")
        .about("Meeting recordings (meetings): list them, download their files")
        .after_help(
            "Examples:\n  spark recordings list --from 2025-01-01T00:00:00Z --to 2025-01-31T00:00:00Z\n  spark recordings download RECORDING_ID -o recordings/\n  spark recordings download RECORDING_ID --kind audio,transcript -o recordings/",
        )
        .subcommand_required(true)
        .subcommand(
            Command::new("download")
                .about("Downloads a recording's files (recording, audio, transcript) into a directory")
                .long_about(
                    "Downloads a recording's files into a directory, from the temporary download links of its details (GET /recordings/{recordingId}), under the names the server gives, made safe. A file already there is left alone and the command fails with exit code 1, unless --force replaces it.",
                )
                .arg(id_arg("Recording id"))
                .arg(
                    flag(
                        "output",
                        "Directory to save into, created if missing (default: the current one)",
                    )
                    .short('o'),
                )
                .arg(
                    Arg::new("kind")
                        .long("kind")
                        .value_name("KIND")
                        .action(ArgAction::Append)
                        .value_delimiter(',')
                        .value_parser(["recording", "audio", "transcript", "all"])
                        .help("What to download: recording (the default), audio, transcript, or all the recording has; repeat or separate with commas"),
                )
                .arg(switch(
                    "force",
                    "Replace files already in the directory (without it they are left alone and the command fails)",
                ))
                .arg(
                    flag(
                        "max-bytes",
                        "The largest file taken, in bytes (default 4 GiB); a larger one fails and leaves nothing",
                    )
                    .value_name("N")
                    .value_parser(value_parser!(u64)),
                )
                .arg(flag(
                    "host-email",
                    "The host's email, for an administrator acting for a host",
                ))
                .after_help(
                    "Examples:\n  spark recordings download RECORDING_ID -o recordings/\n  spark recordings download RECORDING_ID --kind all -o recordings/ --force",
                ),
        )
}

/// Whether `spark recordings SUB` is handled here rather than by a generated operation.
pub(crate) fn handles(matches: &ArgMatches) -> bool {
    matches.subcommand_name() == Some("download")
}

/// Runs it.
pub(crate) async fn run(ctx: &Ctx, matches: &ArgMatches) -> CliResult {
    match sub(matches)? {
        ("download", m) => download(ctx, m).await,
        (other, _) => Err(unknown(other)),
    }
}

async fn download(ctx: &Ctx, m: &ArgMatches) -> CliResult {
    let id = id(m)?;
    let query: Vec<(String, String)> = opt(m, "host-email")
        .map(|email| vec![("hostEmail".to_owned(), email.to_owned())])
        .unwrap_or_default();
    let details: Value = ctx
        .client
        .get_with(&path(&["recordings", id]), &query)
        .await?;
    let links = &details["temporaryDirectDownloadLinks"];
    let expiration = links["expiration"].as_str().unwrap_or("unknown");
    let wanted = wanted_links(m, links, id)?;
    let dir = Path::new(opt(m, "output").unwrap_or("."));
    let max_bytes = m
        .get_one::<u64>("max-bytes")
        .copied()
        .unwrap_or(DEFAULT_MAX_BYTES);
    for (kind, link) in wanted {
        let staging = Staging::new(dir)?;
        let (bar, follow) = ctx.progress.download(&format!("downloading {kind}"));
        let options = DownloadOptions::default()
            .max_bytes(Some(max_bytes))
            .on_progress(follow);
        let fetched = ctx
            .client
            .contents()
            .download_to_dir(link, staging.dir(), options)
            .await;
        bar.finish_and_clear();
        let (staged, info) = fetched.map_err(|error| {
            if matches!(error, spark_api::Error::Api(_)) {
                anstream::eprintln!(
                    "note: the {kind} link was valid until {expiration}; each run asks for fresh links"
                );
            }
            CliError::Api(error)
        })?;
        let name = match &info.file_name {
            Some(_) => info.safe_file_name(),
            None => safe_file_name(&format!("{id}-{kind}")),
        };
        let saved = dir.join(&name);
        place(&staged, &saved, m.get_flag("force"))?;
        match ctx.out.format {
            Format::Table => ctx.out.done(&format!(
                "saved {kind} as {} ({} bytes)",
                saved.display(),
                info.size.map_or_else(|| "?".to_owned(), |s| s.to_string())
            ))?,
            Format::Json => ctx.out.value(&serde_json::json!({
                "kind": kind,
                "path": saved.display().to_string(),
                "fileName": info.file_name,
                "size": info.size,
                "contentType": info.content_type,
            }))?,
        }
    }
    Ok(())
}

/// The links to fetch, in the order of [`KINDS`]: those `--kind` names (each must be there), or
/// every one the recording has for `all`.
fn wanted_links<'a>(
    m: &ArgMatches,
    links: &'a Value,
    id: &str,
) -> CliResult<Vec<(&'static str, &'a str)>> {
    let named: Vec<&str> = m
        .get_many::<String>("kind")
        .map(|kinds| kinds.map(String::as_str).collect())
        .unwrap_or_else(|| vec!["recording"]);
    let all = named.contains(&"all");
    let mut wanted = Vec::new();
    for (kind, field) in KINDS {
        if !all && !named.contains(&kind) {
            continue;
        }
        match links[field].as_str().filter(|link| !link.is_empty()) {
            Some(link) => wanted.push((kind, link)),
            None if all => {}
            None => {
                return Err(CliError::Other(format!(
                    "recording {id} has no {kind} download link"
                )));
            }
        }
    }
    if wanted.is_empty() {
        return Err(CliError::Other(format!(
            "recording {id} has no download link (its details carry no temporaryDirectDownloadLinks)"
        )));
    }
    Ok(wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links_for(args: &[&str], links: &Value) -> CliResult<Vec<(&'static str, String)>> {
        let matches = command()
            .try_get_matches_from(
                ["recordings", "download", "ID"]
                    .iter()
                    .chain(args)
                    .copied()
                    .collect::<Vec<_>>(),
            )
            .expect("the flags parse");
        let (_, m) = matches.subcommand().expect("download");
        wanted_links(m, links, "ID")
            .map(|found| found.into_iter().map(|(k, l)| (k, l.to_owned())).collect())
    }

    #[test]
    fn kinds_choose_the_links() {
        let links = serde_json::json!({
            "recordingDownloadLink": "http://h/r",
            "transcriptDownloadLink": "http://h/t",
            "expiration": "2030-01-01T00:00:00Z",
        });
        assert_eq!(
            links_for(&[], &links).unwrap(),
            vec![("recording", "http://h/r".to_owned())]
        );
        assert_eq!(
            links_for(&["--kind", "all"], &links).unwrap().len(),
            2,
            "all: every link there is"
        );
        assert_eq!(
            links_for(&["--kind", "transcript,recording"], &links).unwrap()[0].0,
            "recording",
            "in a fixed order"
        );
        let missing = links_for(&["--kind", "audio"], &links).unwrap_err();
        assert!(missing.to_string().contains("no audio"), "{missing}");
        assert!(links_for(&[], &Value::Null).is_err());
    }
}
