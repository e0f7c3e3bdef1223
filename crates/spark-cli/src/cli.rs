//! The command tree: the handwritten commands, then one command per generated service, with
//! the global flags, the exit codes and a short session in `spark --help`.

use clap::Command;

use crate::commands;
use crate::error::EXIT_CODES_HELP;
use crate::generated;
use crate::globals;

/// The top of `spark --help`.
const ABOUT: &str =
    "The Webex REST API from the command line: every operation, tables for people, JSON for pipes";

/// The end of `spark --help`.
fn after_help() -> String {
    format!(
        "\
Install:
  cargo install --path crates/spark-cli

A session:
  spark login --client-id C123 --client-secret S456     # or --token, or WEBEX_ACCESS_TOKEN
  spark people me
  spark rooms create --title \"Design review\"
  spark memberships create --room ROOM_ID --person-email grace@example.com
  spark messages send --room ROOM_ID --markdown '**hello**' --file report.pdf
  spark messages list --room ROOM_ID --limit 20          # a table; --json or a pipe: NDJSON
  spark contents download CONTENT_ID -o downloads/
  spark recordings download RECORDING_ID -o recordings/
  spark meeting-transcripts list --meeting-id MEETING_ID
  spark api GET rooms -q max=10 --paginate
  spark --emulator rooms list                           # against an emulator in this process

Credentials: --token, then --profile NAME, then WEBEX_ACCESS_TOKEN (and the other variables the
library reads), then the `default` profile in the config directory (SPARK_CONFIG_DIR overrides it).

{EXIT_CODES_HELP}"
    )
}

/// The whole command tree.
pub(crate) fn command() -> Command {
    let top = Command::new("spark")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .after_help(after_help())
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(commands::people::command())
        .subcommand(commands::rooms::command())
        .subcommand(commands::memberships::command())
        .subcommand(commands::messages::command())
        .subcommand(commands::teams::command())
        .subcommand(commands::webhooks::command())
        .subcommand(commands::contents::command())
        .subcommand(commands::recordings::command())
        .subcommand(commands::api::command())
        .subcommand(commands::token::command())
        .subcommand(commands::login::command())
        .subcommand(commands::login::logout_command())
        .subcommand(commands::emulator::command())
        .subcommand(commands::listen::command())
        .subcommand(commands::completions::command());
    generated::add_to(globals::add(top))
}
