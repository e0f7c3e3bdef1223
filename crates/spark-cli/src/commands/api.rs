//! `spark api METHOD PATH [-d JSON] [-q k=v]... [--paginate]`: any call, with the client's
//! retries, refresh, errors and pagination.

use clap::{Arg, ArgAction, ArgMatches, Command};
use http::Method;
use serde_json::Value;

use super::{opt, parse_json, switch};
use crate::context::Ctx;
use crate::error::{CliError, CliResult};

/// The command.
pub(crate) fn command() -> Command {
    Command::new("api")
        .about("Any call: METHOD PATH (relative to the base URL), a JSON body, query pairs")
        .after_help(
            "Examples:\n  spark api GET people/me\n  spark api GET rooms -q max=10 --paginate\n  spark api POST messages -d '{\"roomId\": \"ROOM_ID\", \"text\": \"hi\"}'\n  spark api DELETE rooms/ROOM_ID",
        )
        .arg(Arg::new("method").value_name("METHOD").required(true).help("GET, POST, PUT, PATCH, DELETE"))
        .arg(Arg::new("path").value_name("PATH").required(true).help("e.g. rooms, people/me"))
        .arg(
            Arg::new("data")
                .short('d')
                .long("data")
                .value_name("JSON")
                .help("The JSON body (or @FILE)"),
        )
        .arg(
            Arg::new("query")
                .short('q')
                .long("query")
                .value_name("KEY=VALUE")
                .action(ArgAction::Append)
                .help("A query parameter (repeatable)"),
        )
        .arg(switch("paginate", "Follow next links: one JSON item per line"))
}

/// `k=v` pairs.
pub(crate) fn pairs(matches: &ArgMatches) -> CliResult<Vec<(String, String)>> {
    matches
        .get_many::<String>("query")
        .into_iter()
        .flatten()
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .ok_or_else(|| CliError::Usage(format!("`{pair}` is not KEY=VALUE")))
        })
        .collect()
}

/// Runs it.
pub(crate) async fn run(ctx: &Ctx, m: &ArgMatches) -> CliResult {
    let method_text = opt(m, "method").unwrap_or("GET").to_ascii_uppercase();
    let method = Method::from_bytes(method_text.as_bytes())
        .map_err(|_| CliError::Usage(format!("`{method_text}` is not an HTTP method")))?;
    let path = opt(m, "path").unwrap_or_default().trim_start_matches('/');
    let query = pairs(m)?;
    let body = opt(m, "data")
        .map(|d| parse_json(d, "--data"))
        .transpose()?;
    if m.get_flag("paginate") {
        if method != Method::GET {
            return Err(CliError::Usage("--paginate needs GET".to_owned()));
        }
        return ctx.list(path, &query, &[]).await;
    }
    let target = with_query(path, &query)?;
    let answer: Value = match (method.clone(), body) {
        (Method::GET, None) => ctx.client.get(&target).await?,
        (method, Some(body)) => ctx.client.send(method, &target, &body).await?,
        (method, None) => {
            ctx.client.send_empty(method.clone(), &target).await?;
            return ctx.out.done(&format!("{method} {path}: done"));
        }
    };
    ctx.out.value(&answer)
}

fn with_query(path: &str, query: &[(String, String)]) -> CliResult<String> {
    if query.is_empty() {
        return Ok(path.to_owned());
    }
    let encoded = form_urlencoded(query);
    Ok(if path.contains('?') {
        format!("{path}&{encoded}")
    } else {
        format!("{path}?{encoded}")
    })
}

fn form_urlencoded(query: &[(String, String)]) -> String {
    query
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::context::encode_segment(k),
                crate::context::encode_segment(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}
