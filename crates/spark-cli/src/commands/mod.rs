//! The handwritten commands, one file per resource or task, and the helpers they share for
//! their arguments.

pub(crate) mod api;
pub(crate) mod completions;
pub(crate) mod contents;
pub(crate) mod emulator;
pub(crate) mod listen;
pub(crate) mod login;
pub(crate) mod memberships;
pub(crate) mod messages;
pub(crate) mod people;
pub(crate) mod recordings;
pub(crate) mod rooms;
pub(crate) mod teams;
pub(crate) mod token;
pub(crate) mod webhooks;

use clap::{Arg, ArgAction, ArgMatches};
use serde_json::{Map, Value};

use crate::error::{CliError, CliResult};

/// A required positional id.
pub(crate) fn id_arg(help: &'static str) -> Arg {
    Arg::new("id").value_name("ID").required(true).help(help)
}

/// A `--long VALUE` flag.
pub(crate) fn flag(long: &'static str, help: &'static str) -> Arg {
    Arg::new(long)
        .long(long)
        .value_name(long.to_uppercase().replace('-', "_"))
        .help(help)
}

/// A `--long` switch.
pub(crate) fn switch(long: &'static str, help: &'static str) -> Arg {
    Arg::new(long)
        .long(long)
        .action(ArgAction::SetTrue)
        .help(help)
}

/// The positional id.
pub(crate) fn id(matches: &ArgMatches) -> CliResult<&str> {
    matches
        .get_one::<String>("id")
        .map(String::as_str)
        .ok_or_else(|| CliError::Usage("an ID is required".to_owned()))
}

/// The string flag `name`, if given.
pub(crate) fn opt<'a>(matches: &'a ArgMatches, name: &str) -> Option<&'a str> {
    matches.get_one::<String>(name).map(String::as_str)
}

/// Query pairs from the flags given: `(flag, wire name)`.
pub(crate) fn query(matches: &ArgMatches, flags: &[(&str, &str)]) -> Vec<(String, String)> {
    flags
        .iter()
        .filter_map(|(flag, wire)| opt(matches, flag).map(|v| ((*wire).to_owned(), v.to_owned())))
        .collect()
}

/// A JSON object from the string flags given: `(flag, wire name)`.
pub(crate) fn body(matches: &ArgMatches, flags: &[(&str, &str)]) -> Map<String, Value> {
    flags
        .iter()
        .filter_map(|(flag, wire)| {
            opt(matches, flag).map(|v| ((*wire).to_owned(), Value::String(v.to_owned())))
        })
        .collect()
}

/// Parses `--data` JSON.
pub(crate) fn parse_json(text: &str, what: &str) -> CliResult<Value> {
    let text = if let Some(path) = text.strip_prefix('@') {
        std::fs::read_to_string(path)
            .map_err(|error| CliError::Usage(format!("cannot read {what} from {path}: {error}")))?
    } else {
        text.to_owned()
    };
    serde_json::from_str(&text)
        .map_err(|error| CliError::Usage(format!("{what} is not valid JSON: {error}")))
}

/// The subcommand's name and matches, or a usage error.
pub(crate) fn sub(matches: &ArgMatches) -> CliResult<(&str, &ArgMatches)> {
    matches
        .subcommand()
        .ok_or_else(|| CliError::Usage("a subcommand is required (see --help)".to_owned()))
}

/// An unknown subcommand (clap refuses them first; this is the fallback).
pub(crate) fn unknown(name: &str) -> CliError {
    CliError::Usage(format!("unknown subcommand `{name}`"))
}
