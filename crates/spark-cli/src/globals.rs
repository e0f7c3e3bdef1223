//! The flags every command takes (`--token`, `--profile`, `--json`, `--limit`, ...), read once
//! from the parsed command line.

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};

/// What the global flags say.
#[derive(Clone, Default)]
pub(crate) struct Globals {
    /// `--token`: an access token, before the environment and the profiles.
    pub(crate) token: Option<String>,
    /// `--base-url`: the API's base URL.
    pub(crate) base_url: Option<String>,
    /// `--profile`: the profile to read credentials from (or to store them in).
    pub(crate) profile: Option<String>,
    /// `--emulator`: run against an emulator started in this process.
    pub(crate) emulator: bool,
    /// `-v`: how many times given.
    pub(crate) verbose: u8,
    /// `--json`: JSON whatever stdout is.
    pub(crate) json: bool,
    /// `--table`: a table whatever stdout is.
    pub(crate) table: bool,
    /// `--limit`: at most this many items of a list.
    pub(crate) limit: Option<usize>,
    /// `--columns`: the table's columns.
    pub(crate) columns: Option<Vec<String>>,
    /// `--no-progress`: no bars nor spinners.
    pub(crate) no_progress: bool,
    /// `--retries`: how many times a failed attempt is tried again (the library's default: 3).
    pub(crate) retries: Option<u32>,
}

/// `--token` is never echoed back by `Debug`.
impl std::fmt::Debug for Globals {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Globals")
            .field("token", &self.token.as_ref().map(|_| "***"))
            .field("base_url", &self.base_url)
            .field("profile", &self.profile)
            .field("emulator", &self.emulator)
            .finish_non_exhaustive()
    }
}

/// Adds the global flags to the top-level command.
pub(crate) fn add(command: Command) -> Command {
    command
        .arg(
            Arg::new("token")
                .long("token")
                .global(true)
                .help_heading("Global options")
                .value_name("TOKEN")
                .help("Access token (before WEBEX_ACCESS_TOKEN and the profiles)"),
        )
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .global(true)
                .help_heading("Global options")
                .value_name("URL")
                .help("API base URL (default https://webexapis.com/v1, or WEBEX_BASE_URL)"),
        )
        .arg(
            Arg::new("profile")
                .long("profile")
                .global(true)
                .help_heading("Global options")
                .value_name("NAME")
                .help("Credentials profile in the config directory (default: \"default\")"),
        )
        .arg(
            Arg::new("emulator")
                .long("emulator")
                .global(true)
                .help_heading("Global options")
                .action(ArgAction::SetTrue)
                .help("Run against an emulator started for this command only"),
        )
        .arg(
            Arg::new("verbose")
                .short('v')
                .long("verbose")
                .global(true)
                .help_heading("Global options")
                .action(ArgAction::Count)
                .help("Trace each HTTP attempt on stderr (no secrets)"),
        )
        .arg(
            Arg::new("json")
                .long("json")
                .global(true)
                .help_heading("Global options")
                .action(ArgAction::SetTrue)
                .conflicts_with("table")
                .help("JSON output (NDJSON for lists), the default when stdout is not a terminal"),
        )
        .arg(
            Arg::new("table")
                .long("table")
                .global(true)
                .help_heading("Global options")
                .action(ArgAction::SetTrue)
                .help("Table output, the default on a terminal"),
        )
        .arg(
            Arg::new("limit")
                .long("limit")
                .global(true)
                .help_heading("Global options")
                .value_name("N")
                .value_parser(value_parser!(usize))
                .help("At most N items of a list"),
        )
        .arg(
            Arg::new("columns")
                .long("columns")
                .global(true)
                .help_heading("Global options")
                .value_name("A,B,..")
                .value_delimiter(',')
                .help("The table's columns (JSON field names)"),
        )
        .arg(
            Arg::new("no-progress")
                .long("no-progress")
                .global(true)
                .help_heading("Global options")
                .action(ArgAction::SetTrue)
                .help("No progress bars (never shown when stderr is not a terminal)"),
        )
        .arg(
            Arg::new("retries")
                .long("retries")
                .global(true)
                .help_heading("Global options")
                .value_name("N")
                .value_parser(value_parser!(u32).range(..=10))
                .help("Tries a failed attempt (429, 5xx, no connection) again at most N times (default 3; 0: fail at once)"),
        )
}

/// Reads the global flags from the matches of the leaf command.
pub(crate) fn read(matches: &ArgMatches) -> Globals {
    Globals {
        token: matches.get_one::<String>("token").cloned(),
        base_url: matches.get_one::<String>("base-url").cloned(),
        profile: matches.get_one::<String>("profile").cloned(),
        emulator: matches.get_flag("emulator"),
        verbose: matches.get_count("verbose"),
        json: matches.get_flag("json"),
        table: matches.get_flag("table"),
        limit: matches.get_one::<usize>("limit").copied(),
        columns: matches
            .get_many::<String>("columns")
            .map(|columns| columns.cloned().collect()),
        no_progress: matches.get_flag("no-progress"),
        retries: matches.get_one::<u32>("retries").copied(),
    }
}
