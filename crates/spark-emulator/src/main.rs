//! The `spark-emulator` binary: serves the in-memory Webex API on a port, for programs in any
//! language. `spark-emulator --help` lists the options.
//!
//! At start it prints the base URL, the control API's URL and admin secret, the OAuth client and
//! each identity's access token, once each (or all of it as one JSON object with `--json`), then
//! serves until Ctrl-C or SIGTERM. With `--state FILE` it loads the store from FILE at start (if
//! the file exists) and saves it there when it stops.

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use spark_emulator::{ADMIN_EMAIL, Emulator, Refusals, Seed};

const HELP: &str = "\
spark-emulator: an in-memory Webex REST API, for tests and offline development

usage: spark-emulator [OPTIONS]

options:
  -p, --port PORT            listen on this port (default 8080; 0 picks a free one)
      --host ADDRESS         listen on this address (default 127.0.0.1)
      --token-lifetime SECS  access tokens live this long (default 14 days)
      --json                 print the start-up facts as one JSON object instead of text
      --state FILE           load the store from FILE at start (if it exists) and save it there
                             at exit (the file holds tokens: it is written readable by its owner)
      --seed FILE            apply this JSON seed document at start (people, bots, rooms,
                             memberships, messages; see the crate documentation)
      --admin-secret SECRET  the bearer secret of the control API under /_emulator (default:
                             a random one, printed at start)
      --scan-seconds SECS    how long an uploaded file is scanned (default 2; 0: at once)
      --no-refusals          answer like a kind server: no bot 403, no file scanning, no
                             team-move 400, no text limits (default: refuse as live Webex)
      --event-window N       keep the newest N events for /events (default 10000)
      --memory-cap-mb MB     past this many MB of messages, files and events, writes answer
                             507 (default 1024)
  -h, --help                 print this help and exit

The control API (faults, refusals, quirks, seeding, reset, the request log) is documented in
the crate documentation and the README.";

struct Options {
    port: u16,
    host: IpAddr,
    token_lifetime: Option<Duration>,
    json: bool,
    state: Option<PathBuf>,
    seed: Option<PathBuf>,
    admin_secret: Option<String>,
    scan_time: Option<Duration>,
    no_refusals: bool,
    event_window: Option<usize>,
    memory_cap_mb: Option<usize>,
}

/// What the command line asks: options to run with, or the help.
enum Command {
    Run(Options),
    Help,
}

fn parse_options() -> Result<Command, String> {
    let mut options = Options {
        port: 8080,
        host: IpAddr::from([127, 0, 0, 1]),
        token_lifetime: None,
        json: false,
        state: None,
        seed: None,
        admin_secret: None,
        scan_time: None,
        no_refusals: false,
        event_window: None,
        memory_cap_mb: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) if name.starts_with("--") => {
                (name.to_owned(), Some(value.to_owned()))
            }
            _ => (arg.clone(), None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value (see --help)"))
        };
        match name.as_str() {
            "--port" | "-p" => {
                options.port = value()?.parse().map_err(|_| "bad port (see --help)")?;
            }
            "--host" => {
                options.host = value()?
                    .parse()
                    .map_err(|_| "bad host address (see --help)")?;
            }
            "--token-lifetime" => {
                let secs: u64 = value()?
                    .parse()
                    .map_err(|_| "bad token lifetime (see --help)")?;
                options.token_lifetime = Some(Duration::from_secs(secs));
            }
            "--json" => options.json = true,
            "--state" => options.state = Some(PathBuf::from(value()?)),
            "--seed" => options.seed = Some(PathBuf::from(value()?)),
            "--admin-secret" => {
                let secret = value()?;
                if secret.is_empty() {
                    return Err("the admin secret must not be empty".to_owned());
                }
                options.admin_secret = Some(secret);
            }
            "--scan-seconds" => {
                let secs: f64 = value()?.parse().map_err(|_| "bad scan time (see --help)")?;
                let time = Duration::try_from_secs_f64(secs)
                    .map_err(|_| "the scan time must be 0 or more seconds")?;
                options.scan_time = Some(time);
            }
            "--no-refusals" => options.no_refusals = true,
            "--event-window" => {
                let events = value()?
                    .parse()
                    .map_err(|_| "bad event window (see --help)")?;
                options.event_window = Some(events);
            }
            "--memory-cap-mb" => {
                let megabytes = value()?
                    .parse()
                    .map_err(|_| "bad memory cap (see --help)")?;
                options.memory_cap_mb = Some(megabytes);
            }
            "--help" | "-h" => return Ok(Command::Help),
            other => return Err(format!("unknown argument `{other}` (see --help)")),
        }
    }
    Ok(Command::Run(options))
}

/// The file's bytes, or why not.
fn read(path: &Path, what: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path)
        .map_err(|error| format!("cannot read the {what} {}: {error}", path.display()))
}

/// Writes the state file: to a temporary file first (owner-only on Unix), then renamed over.
fn write_state(path: &Path, json: &[u8]) -> std::io::Result<()> {
    use std::io::Write;

    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = PathBuf::from(temporary);
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.mode(0o600);
    }
    let mut file = open.open(&temporary)?;
    file.write_all(json)?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)
}

/// One identity: its email, name, type and access token.
struct Identity {
    email: String,
    display_name: String,
    kind: String,
    person_id: String,
    token: String,
}

/// Every person with an email, the caller first, each with one access token: the caller's
/// own, a new one for the others.
fn identities(emulator: &Emulator) -> Vec<Identity> {
    let me = emulator.me();
    let mut people = emulator.people();
    people.sort_by_key(|person| person.id != me.id);
    people
        .into_iter()
        .filter_map(|person| {
            let email = person.emails.as_ref()?.first()?.clone();
            let token = if person.id == me.id {
                emulator.access_token()
            } else {
                emulator.token_for(&email)?
            };
            Some(Identity {
                display_name: person.display_name.clone().unwrap_or_default(),
                // The seeded administrator may create, update and delete people.
                kind: if email == ADMIN_EMAIL {
                    "admin".to_owned()
                } else {
                    person
                        .person_type
                        .as_ref()
                        .map_or("person", |kind| kind.as_str())
                        .to_owned()
                },
                person_id: person.id,
                email,
                token,
            })
        })
        .collect()
}

fn print_banner(emulator: &Emulator, json: bool) {
    let identities = identities(emulator);
    if json {
        let banner = serde_json::json!({
            "baseUrl": emulator.base_url(),
            "controlUrl": emulator.control_url(),
            "adminSecret": emulator.admin_secret(),
            "clientId": emulator.client_id(),
            "clientSecret": emulator.client_secret(),
            "refreshToken": emulator.refresh_token(),
            "identities": identities.iter().map(|identity| serde_json::json!({
                "email": identity.email,
                "displayName": identity.display_name,
                "type": identity.kind,
                "personId": identity.person_id,
                "accessToken": identity.token,
            })).collect::<Vec<_>>(),
        });
        println!("{banner}");
        return;
    }
    println!("spark-emulator: the Webex API at {}", emulator.base_url());
    println!(
        "control API at {} (Authorization: Bearer $EMULATOR_ADMIN_SECRET)",
        emulator.control_url()
    );
    println!();
    println!("WEBEX_BASE_URL={}", emulator.base_url());
    if let Some(first) = identities.first() {
        println!("WEBEX_ACCESS_TOKEN={}", first.token);
    }
    println!("WEBEX_CLIENT_ID={}", emulator.client_id());
    println!("WEBEX_CLIENT_SECRET={}", emulator.client_secret());
    println!("WEBEX_REFRESH_TOKEN={}", emulator.refresh_token());
    println!("EMULATOR_ADMIN_SECRET={}", emulator.admin_secret());
    println!();
    println!("identities (WEBEX_ACCESS_TOKEN and WEBEX_REFRESH_TOKEN are the first one's):");
    for (index, identity) in identities.iter().enumerate() {
        // The first one's token is printed once, above.
        let token = if index == 0 {
            "$WEBEX_ACCESS_TOKEN"
        } else {
            identity.token.as_str()
        };
        println!(
            "  {:<24} {:<6} {:<20} access token {token}",
            identity.email, identity.kind, identity.display_name
        );
    }
    println!();
    println!("Ctrl-C stops it.");
}

/// Waits for Ctrl-C, or SIGTERM on Unix. The handlers are installed when this is called, not
/// when the future is first polled, so a signal sent right after the banner is caught.
fn stopped() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{SignalKind, signal};
        signal(SignalKind::terminate()).and_then(|terminate| {
            signal(SignalKind::interrupt()).map(|interrupt| (terminate, interrupt))
        })
    };
    async move {
        #[cfg(unix)]
        if let Ok((mut terminate, mut interrupt)) = handlers {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
            return;
        }
        if let Err(error) = tokio::signal::ctrl_c().await {
            eprintln!("spark-emulator: cannot wait for Ctrl-C: {error}");
        }
    }
}

async fn run(options: Options) -> Result<(), String> {
    let mut builder = Emulator::builder().bind(SocketAddr::new(options.host, options.port));
    if let Some(lifetime) = options.token_lifetime {
        builder = builder.token_lifetime(lifetime);
    }
    let mut refusals = if options.no_refusals {
        Refusals::none()
    } else {
        Refusals::default()
    };
    if let Some(scan_time) = options.scan_time {
        refusals = refusals.scan_time(scan_time);
    }
    builder = builder.refusals(refusals);
    if let Some(events) = options.event_window {
        builder = builder.event_window(events);
    }
    if let Some(megabytes) = options.memory_cap_mb {
        builder = builder.memory_cap(megabytes.saturating_mul(1024 * 1024));
    }
    if let Some(secret) = options.admin_secret {
        builder = builder.admin_secret(secret);
    }
    if let Some(path) = &options.seed {
        let seed: Seed = serde_json::from_slice(&read(path, "seed file")?)
            .map_err(|error| format!("the seed file {} is not a seed: {error}", path.display()))?;
        builder = builder.seed(seed);
    }
    if let Some(path) = options.state.as_deref().filter(|path| path.exists()) {
        builder = builder.saved_state(read(path, "state file")?);
    }
    let emulator = builder
        .start()
        .await
        .map_err(|error| format!("cannot start on {}:{}: {error}", options.host, options.port))?;
    let stop = stopped();
    print_banner(&emulator, options.json);
    stop.await;
    if let Some(path) = &options.state {
        write_state(path, &emulator.save_state())
            .map_err(|error| format!("cannot save the state to {}: {error}", path.display()))?;
    }
    emulator.shutdown().await;
    Ok(())
}

#[tokio::main]
async fn main() -> ExitCode {
    match parse_options() {
        Ok(Command::Help) => {
            println!("{HELP}");
            ExitCode::SUCCESS
        }
        Ok(Command::Run(options)) => match run(options).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(message) => {
                eprintln!("spark-emulator: {message}");
                ExitCode::FAILURE
            }
        },
        Err(message) => {
            eprintln!("spark-emulator: {message}");
            ExitCode::from(2)
        }
    }
}
