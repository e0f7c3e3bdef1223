//! Dispatch: the subcommand named on the command line, run with what it needs (a client for
//! API commands; nothing for `token`, `logout`, `completions` and `emulator`).

use clap::ArgMatches;

use crate::commands;
use crate::context::{Ctx, init_tracing};
use crate::error::{CliError, CliResult};
use crate::generated;
use crate::globals;

/// Runs the command the matches name.
pub(crate) async fn run(matches: &ArgMatches) -> CliResult {
    let (name, sub) = commands::sub(matches)?;
    let leaf = leaf(sub);
    let globals = globals::read(leaf);
    init_tracing(globals.verbose);
    match name {
        "token" => return commands::token::run(&globals, sub),
        "logout" => return commands::login::logout(&globals),
        "completions" => return commands::completions::run(sub),
        "emulator" => return commands::emulator::run(sub).await,
        "login" => return commands::login::run(&globals, sub).await,
        _ => {}
    }
    let ctx = Ctx::connect(&globals).await?;
    // A command of the table, also inside a handwritten group (`people create`).
    if let Some(op) = sub
        .subcommand_name()
        .and_then(|command| generated::find(name, command))
    {
        let (_, args) = commands::sub(sub)?;
        return generated::run(&ctx, op, args).await;
    }
    match name {
        "people" => commands::people::run(&ctx, sub).await,
        "rooms" => commands::rooms::run(&ctx, sub).await,
        "memberships" => commands::memberships::run(&ctx, sub).await,
        "messages" => commands::messages::run(&ctx, sub).await,
        "teams" => commands::teams::run(&ctx, sub).await,
        "webhooks" => commands::webhooks::run(&ctx, sub).await,
        "contents" => commands::contents::run(&ctx, sub).await,
        "api" => commands::api::run(&ctx, sub).await,
        "listen" => commands::listen::run(&ctx, sub).await,
        "recordings" if commands::recordings::handles(sub) => {
            commands::recordings::run(&ctx, sub).await
        }
        service => {
            let (method, args) = commands::sub(sub)?;
            let op = generated::find(service, method)
                .ok_or_else(|| CliError::Usage(format!("unknown command {service} {method}")))?;
            generated::run(&ctx, op, args).await
        }
    }
}

/// The matches of the innermost subcommand, where global flags are read.
fn leaf(matches: &ArgMatches) -> &ArgMatches {
    let mut current = matches;
    while let Some((_, sub)) = current.subcommand() {
        current = sub;
    }
    current
}
