//! `spark token [--show]`: where the token comes from; the token itself only with `--show`.

use clap::{ArgMatches, Command};

use super::switch;
use crate::credentials::{self, Source};
use crate::error::CliResult;
use crate::globals::Globals;
use crate::output::write_line;

/// The command.
pub(crate) fn command() -> Command {
    Command::new("token")
        .about("Says where the access token comes from; prints it only with --show")
        .after_help(
            "Order: --token, then --profile NAME, then WEBEX_ACCESS_TOKEN (and the other library variables), then the `default` profile.\n\nExample:\n  export WEBEX_ACCESS_TOKEN=$(spark token --show --profile work)",
        )
        .arg(switch("show", "Print the access token itself (the only command that does)"))
}

/// Runs it (no client needed).
pub(crate) fn run(globals: &Globals, matches: &ArgMatches) -> CliResult {
    let (token, source) = credentials::token(globals)?;
    if matches.get_flag("show") {
        return write_line(&token);
    }
    let from = match source {
        Source::Flag => "the --token flag".to_owned(),
        Source::Environment => "the environment".to_owned(),
        Source::Profile(name) => format!("the profile `{name}`"),
    };
    write_line(&format!(
        "a token ({} characters) from {from}; `spark token --show` prints it",
        token.chars().count()
    ))
}
