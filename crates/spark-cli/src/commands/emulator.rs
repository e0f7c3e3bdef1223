//! `spark emulator [--port ..] [--seed FILE]`: the in-memory Webex on a port until Ctrl-C, its
//! token stored in the profile `emulator` (so that no token is printed).

use std::time::Duration;

use clap::{ArgMatches, Command, value_parser};
use spark_emulator::{Emulator, Refusals, Seed};

use super::{flag, opt, switch};
use crate::error::{CliError, CliResult};
use crate::output::write_line;
use crate::profile::{self, Profile};

/// The profile the emulator's credentials go into.
pub(crate) const PROFILE: &str = "emulator";

/// The command.
pub(crate) fn command() -> Command {
    Command::new("emulator")
        .about("Runs the Webex emulator on a port until Ctrl-C (profile `emulator` reaches it)")
        .after_help(
            "Example:\n  spark emulator --port 8080 &\n  spark --profile emulator rooms create --title Sandbox",
        )
        .arg(
            flag("port", "Port on 127.0.0.1 (0: any free one)")
                .short('p')
                .default_value("8080")
                .value_parser(value_parser!(u16)),
        )
        .arg(flag("seed", "A JSON seed document (people, rooms, messages)"))
        .arg(switch("scan", "Scan uploaded files for 2 s, as Webex does (default: at once)"))
}

/// Runs it.
pub(crate) async fn run(matches: &ArgMatches) -> CliResult {
    let port = matches.get_one::<u16>("port").copied().unwrap_or(8080);
    let scan = if matches.get_flag("scan") {
        spark_emulator::DEFAULT_SCAN_TIME
    } else {
        Duration::ZERO
    };
    let mut builder = Emulator::builder()
        .port(port)
        .refusals(Refusals::default().scan_time(scan));
    if let Some(path) = opt(matches, "seed") {
        let text = std::fs::read(path)
            .map_err(|error| CliError::Other(format!("cannot read {path}: {error}")))?;
        let seed: Seed = serde_json::from_slice(&text)
            .map_err(|error| CliError::Usage(format!("{path} is not a seed: {error}")))?;
        builder = builder.seed(seed);
    }
    let emulator = builder
        .start()
        .await
        .map_err(|error| CliError::Other(format!("cannot start the emulator: {error}")))?;
    profile::save(
        PROFILE,
        Profile {
            access_token: emulator.access_token(),
            refresh_token: Some(emulator.refresh_token()),
            client_id: Some(emulator.client_id()),
            client_secret: Some(emulator.client_secret()),
            base_url: Some(emulator.base_url().to_owned()),
        },
    )?;
    write_line(&format!(
        "the Webex emulator at {}; its credentials are in the profile `{PROFILE}`: spark --profile {PROFILE} people me\nCtrl-C stops it.",
        emulator.base_url()
    ))?;
    tokio::signal::ctrl_c()
        .await
        .map_err(|error| CliError::Other(format!("cannot wait for Ctrl-C: {error}")))?;
    emulator.shutdown().await;
    Ok(())
}
