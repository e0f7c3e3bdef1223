//! What a command runs with: the client (credentials resolved, `-v` tracing on, the 429
//! countdown layer in), the output settings, progress, and the emulator when `--emulator` asked
//! for one in this process.

use std::io::IsTerminal;
use std::time::Duration;

use futures_util::Stream;
use http::Method;
use serde_json::Value;
use spark_api::Client;
use spark_api::http::RetryPolicy;
use spark_emulator::{Emulator, Refusals};
use tower::util::MapResponseLayer;

use crate::countdown;
use crate::credentials;
use crate::error::CliResult;
use crate::globals::Globals;
use crate::output::Output;
use crate::progress::Progress;

/// A command's surroundings.
pub(crate) struct Ctx {
    /// The API client.
    pub(crate) client: Client,
    /// How answers are printed.
    pub(crate) out: Output,
    /// Progress on stderr.
    pub(crate) progress: Progress,
    /// The emulator started for this command (`--emulator`), kept until the command ends.
    _emulator: Option<Emulator>,
}

/// Turns on the trace of each attempt on stderr (`-v`: debug, `-vv`: trace).
pub(crate) fn init_tracing(verbose: u8) {
    if verbose == 0 {
        return;
    }
    let level = if verbose > 1 {
        tracing::Level::TRACE
    } else {
        tracing::Level::DEBUG
    };
    let ansi = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(ansi)
        .with_max_level(level)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .try_init();
}

impl Ctx {
    /// Resolves the credentials (or starts the emulator) and builds the client.
    pub(crate) async fn connect(globals: &Globals) -> CliResult<Ctx> {
        let progress = Progress::new(globals.no_progress);
        let (builder, emulator) = if globals.emulator {
            let emulator = start_emulator().await?;
            let builder = Client::builder()
                .base_url(emulator.base_url())?
                .access_token(emulator.access_token());
            (builder, Some(emulator))
        } else {
            (credentials::builder(globals)?.0, None)
        };
        let builder = match globals.retries {
            Some(retries) => builder.retry(RetryPolicy::default().max_attempts(retries + 1)),
            None => builder,
        };
        let client = builder
            .layer(MapResponseLayer::new(countdown::announce(progress)))
            .build()?;
        Ok(Ctx {
            client,
            out: Output::new(globals),
            progress,
            _emulator: emulator,
        })
    }

    /// `GET path?query`, printed.
    pub(crate) async fn show(&self, path: &str, query: &[(String, String)]) -> CliResult {
        let value: Value = self.client.get_with(path, query).await?;
        self.out.value(&value)
    }

    /// `method path` with a JSON body, the answer printed.
    pub(crate) async fn send(&self, method: Method, path: &str, body: &Value) -> CliResult {
        let value: Value = self.client.send(method, path, body).await?;
        self.out.value(&value)
    }

    /// `DELETE path`, then a line saying so.
    pub(crate) async fn delete(&self, path: &str, what: &str) -> CliResult {
        self.client.send_empty(Method::DELETE, path).await?;
        self.out.done(&format!("deleted {what}"))
    }

    /// Lists `path?query`, printing as it goes, with pages and items on a spinner.
    pub(crate) async fn list(
        &self,
        path: &str,
        query: &[(String, String)],
        columns: &[&str],
    ) -> CliResult {
        let spinner = self.progress.pages();
        let shown = spinner.clone();
        let stream = self
            .client
            .list::<Value, _>(path, query)
            .on_page(move |page| {
                shown.set_message(format!("{} page(s), {} item(s)", page.pages, page.items));
            });
        let printed = self.list_stream(stream, columns).await;
        spinner.finish_and_clear();
        printed
    }

    /// Prints a stream of items.
    pub(crate) async fn list_stream<S>(&self, stream: S, columns: &[&str]) -> CliResult
    where
        S: Stream<Item = spark_api::Result<Value>>,
    {
        self.out.list(stream, columns).await.map(drop)
    }
}

/// An emulator on a free loopback port that scans files at once.
pub(crate) async fn start_emulator() -> CliResult<Emulator> {
    Ok(Emulator::builder()
        .refusals(Refusals::default().scan_time(Duration::ZERO))
        .start()
        .await?)
}

/// `a/b` with each `segment` percent-encoded where a path needs it.
pub(crate) fn path(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|part| encode_segment(part))
        .collect::<Vec<_>>()
        .join("/")
}

/// Percent-encodes what is not unreserved in a path segment.
pub(crate) fn encode_segment(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~=".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_encoded() {
        assert_eq!(path(&["rooms", "a b/c"]), "rooms/a%20b%2Fc");
        assert_eq!(encode_segment("Y2lz=="), "Y2lz==");
    }
}
