//! `spark`: the Webex REST API from the command line.
//!
//! Handwritten commands for the everyday resources (people, rooms, memberships, messages with
//! files, teams, webhooks, contents, the files of meeting recordings), `spark api` for any call,
//! and a command for every generated operation of the specs, built at run time from the
//! generator's table. Output is a table on a terminal and JSON (NDJSON for lists) otherwise; exit
//! codes are stable (see [`error`]).

mod cli;
mod commands;
mod context;
mod countdown;
mod credentials;
mod error;
mod generated;
mod globals;
mod output;
mod profile;
mod progress;
mod run;
mod staging;
mod table;

use std::process::ExitCode;

fn main() -> ExitCode {
    let matches = match cli::command().try_get_matches() {
        Ok(matches) => matches,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            anstream::eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run::run(&matches)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            error.report();
            error.exit_code()
        }
    }
}
