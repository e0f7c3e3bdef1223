//! `spark login` and `spark logout`: the OAuth authorization-code flow of an integration, with
//! a loopback redirect listener, storing the token pair in a profile (mode 0600); later
//! commands refresh it through the library and store each new pair.

use clap::{ArgMatches, Command, value_parser};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

use super::{flag, opt};
use crate::error::{CliError, CliResult};
use crate::globals::Globals;
use crate::output::write_line;
use crate::profile::{self, DEFAULT_PROFILE, Profile};

/// The default scopes asked for.
const DEFAULT_SCOPE: &str = "spark:all";

/// `spark login`.
pub(crate) fn command() -> Command {
    Command::new("login")
        .about("Signs in with an integration (OAuth code flow, loopback redirect) and stores the tokens")
        .after_help(
            "The integration's redirect URI must be http://127.0.0.1:PORT/callback.\n\nExample:\n  spark login --client-id C123 --client-secret S456 --port 8765",
        )
        .arg(flag("client-id", "The integration's client id").required(true))
        .arg(flag("client-secret", "The integration's client secret").required(true))
        .arg(flag("scope", "Space-separated scopes (default spark:all)"))
        .arg(
            flag("port", "Loopback port of the redirect (default 8765; 0: any free one)")
                .value_parser(value_parser!(u16)),
        )
        .arg(flag("authorize-url", "The authorization page (default: BASE_URL/authorize)"))
}

/// `spark logout`.
pub(crate) fn logout_command() -> Command {
    Command::new("logout")
        .about("Forgets the stored tokens of a profile")
        .after_help("Example:\n  spark logout --profile work")
}

/// Runs `spark login`.
pub(crate) async fn run(globals: &Globals, m: &ArgMatches) -> CliResult {
    let client_id = opt(m, "client-id").unwrap_or_default().to_owned();
    let client_secret = opt(m, "client-secret").unwrap_or_default().to_owned();
    let base_url = globals
        .base_url
        .clone()
        .or_else(|| {
            spark_api::BASE_URL_VARIABLES
                .iter()
                .find_map(|v| std::env::var(v).ok())
        })
        .unwrap_or_else(|| "https://webexapis.com/v1".to_owned());
    let base_url = base_url.trim_end_matches('/').to_owned();
    let port = m.get_one::<u16>("port").copied().unwrap_or(8765);
    let listener = TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|error| CliError::Other(format!("cannot listen on 127.0.0.1:{port}: {error}")))?;
    let port = listener.local_addr()?.port();
    let redirect = format!("http://127.0.0.1:{port}/callback");
    let state = format!("{:016x}", fastrand::u64(..));
    let authorize = opt(m, "authorize-url")
        .map(str::to_owned)
        .unwrap_or_else(|| format!("{base_url}/authorize"));
    let url = format!(
        "{authorize}?client_id={}&response_type=code&redirect_uri={}&scope={}&state={state}",
        encode(&client_id),
        encode(&redirect),
        encode(opt(m, "scope").unwrap_or(DEFAULT_SCOPE)),
    );
    anstream::eprintln!("Open this page in a browser and allow access:\n{url}");
    let code = wait_for_code(&listener, &state).await?;
    let exchanger = spark_api::Client::builder().base_url(&base_url)?.build()?;
    let answer = exchanger
        .oauth()
        .exchange_code(&client_id, &client_secret, &code, &redirect)
        .await?;
    let name = globals
        .profile
        .clone()
        .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
    profile::save(
        &name,
        Profile {
            access_token: answer.access_token.clone(),
            refresh_token: answer.refresh_token.clone(),
            client_id: Some(client_id),
            client_secret: Some(client_secret),
            base_url: (base_url != "https://webexapis.com/v1").then_some(base_url),
        },
    )?;
    write_line(&format!(
        "logged in; the tokens are stored in the profile `{name}` ({})",
        profile::file_path()?.display()
    ))
}

/// Runs `spark logout`.
pub(crate) fn logout(globals: &Globals) -> CliResult {
    let name = globals
        .profile
        .clone()
        .unwrap_or_else(|| DEFAULT_PROFILE.to_owned());
    if profile::remove(&name)? {
        write_line(&format!("logged out: the profile `{name}` is removed"))
    } else {
        write_line(&format!("no profile `{name}`: nothing to do"))
    }
}

/// Serves the redirect until one carries a code with our state; answers each request.
async fn wait_for_code(listener: &TcpListener, state: &str) -> CliResult<String> {
    loop {
        let (stream, _) = listener.accept().await?;
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).await?;
        let target = line
            .split_whitespace()
            .nth(1)
            .unwrap_or_default()
            .to_owned();
        let query = target.split_once('?').map(|(_, q)| q).unwrap_or_default();
        let mut code = None;
        let mut given_state = None;
        let mut error = None;
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match key {
                "code" => code = Some(value),
                "state" => given_state = Some(value),
                "error" => error = Some(value),
                _ => {}
            }
        }
        let (reply, outcome) = match (code, given_state, error) {
            (_, _, Some(error)) => (
                "Sign-in was refused; see the terminal.",
                Some(Err(CliError::Auth(format!(
                    "the authorization was refused: {error}"
                )))),
            ),
            (Some(code), Some(given), None) if given == state => {
                ("Signed in: you can close this page.", Some(Ok(code)))
            }
            _ => ("Not the sign-in redirect.", None),
        };
        let mut stream = reader.into_inner();
        let response = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
            reply.len()
        );
        let _ = stream.write_all(response.as_bytes()).await;
        let _ = stream.shutdown().await;
        if let Some(outcome) = outcome {
            return outcome;
        }
    }
}

/// Percent-encodes a query value.
fn encode(value: &str) -> String {
    crate::context::encode_segment(value)
}

/// Decodes `%XX` and `+` in a query value.
fn decode(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("");
                match u8::from_str_radix(hex, 16) {
                    Ok(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_query_values() {
        assert_eq!(decode("a%40b.com+x"), "a@b.com x");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%4"), "%4");
    }
}
