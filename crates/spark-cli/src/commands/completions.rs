//! `spark completions bash|zsh|fish|powershell`: the shell's completion script on stdout.

use clap::{Arg, ArgMatches, Command, value_parser};
use clap_complete::Shell;

use crate::error::{CliError, CliResult};

/// The command.
pub(crate) fn command() -> Command {
    Command::new("completions")
        .about("Prints the completion script of a shell")
        .after_help(
            "Example:\n  spark completions bash > ~/.local/share/bash-completion/completions/spark",
        )
        .arg(
            Arg::new("shell")
                .required(true)
                .value_parser(value_parser!(Shell))
                .help("bash, zsh, fish, powershell or elvish"),
        )
}

/// Runs it.
pub(crate) fn run(matches: &ArgMatches) -> CliResult {
    let shell = *matches
        .get_one::<Shell>("shell")
        .ok_or_else(|| CliError::Usage("which shell?".to_owned()))?;
    let mut command = crate::cli::command();
    clap_complete::generate(shell, &mut command, "spark", &mut std::io::stdout());
    Ok(())
}
