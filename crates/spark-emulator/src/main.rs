//! The `spark-emulator` binary: serves the in-memory Webex API on a port, for programs in any
//! language.
//!
//! ```text
//! spark-emulator [--port 8080] [--host 127.0.0.1] [--token-lifetime SECONDS]
//! ```
//!
//! It prints the base URL, the seeded caller's access token and the refresh credentials (as
//! `WEBEX_*` environment assignments), a token for each seeded person and one for the seeded
//! administrator, then serves until Ctrl-C.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use spark_emulator::{ADMIN_EMAIL, Emulator, SEEDED_EMAILS};

const USAGE: &str =
    "usage: spark-emulator [--port PORT] [--host ADDRESS] [--token-lifetime SECONDS]";

struct Options {
    port: u16,
    host: IpAddr,
    token_lifetime: Option<Duration>,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        port: 8080,
        host: IpAddr::from([127, 0, 0, 1]),
        token_lifetime: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value\n{USAGE}"))
        };
        match name.as_str() {
            "--port" | "-p" => {
                options.port = value()?.parse().map_err(|_| format!("bad port\n{USAGE}"))?;
            }
            "--host" => {
                options.host = value()?
                    .parse()
                    .map_err(|_| format!("bad host address\n{USAGE}"))?;
            }
            "--token-lifetime" => {
                let secs: u64 = value()?
                    .parse()
                    .map_err(|_| format!("bad token lifetime\n{USAGE}"))?;
                options.token_lifetime = Some(Duration::from_secs(secs));
            }
            "--help" | "-h" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> ExitCode {
    let options = match parse_options() {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let mut builder = Emulator::builder().bind(SocketAddr::new(options.host, options.port));
    if let Some(lifetime) = options.token_lifetime {
        builder = builder.token_lifetime(lifetime);
    }
    let emulator = match builder.start().await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!(
                "spark-emulator: cannot listen on {}:{}: {error}",
                options.host, options.port
            );
            return ExitCode::FAILURE;
        }
    };
    println!(
        "spark-emulator serving the Webex API at {}",
        emulator.base_url()
    );
    println!();
    println!("WEBEX_BASE_URL={}", emulator.base_url());
    println!("WEBEX_ACCESS_TOKEN={}", emulator.access_token());
    println!("WEBEX_CLIENT_ID={}", emulator.client_id());
    println!("WEBEX_CLIENT_SECRET={}", emulator.client_secret());
    println!("WEBEX_REFRESH_TOKEN={}", emulator.refresh_token());
    println!();
    println!("people (the first is the token's owner):");
    for email in SEEDED_EMAILS {
        let token = emulator.token_for(email).unwrap_or_default();
        println!("  {email:<22} token {token}");
    }
    println!("administrator (Full Administrator: may create, update and delete people):");
    println!("  {ADMIN_EMAIL:<22} token {}", emulator.admin_token());
    println!();
    println!("Ctrl-C stops it.");
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("spark-emulator: cannot wait for Ctrl-C: {error}");
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}
