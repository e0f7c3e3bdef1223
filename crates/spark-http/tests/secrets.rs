//! Secrets kept out of every output: `Debug`, errors and traces.
//!
//! This file holds one test on purpose: it installs a tracing subscriber, and tracing decides
//! per call site whether anyone listens, so a test running beside it in the same process could
//! make that decision before the subscriber exists.

mod support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use spark_http::{Body, Credentials, Error, HttpClient};
use support::{respond, scripted};

/// A writer that keeps everything tracing prints.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_never_show_in_debug_errors_or_traces() {
    const CANARIES: [&str; 4] = [
        "CANARY-TOKEN",
        "CANARY-SECRET",
        "CANARY-REFRESH",
        "CANARY-NEW",
    ];
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let (service, _) = scripted(|n, seen| {
        Ok(match (n, seen.uri.path()) {
            (_, "/v1/access_token") => respond(
                200,
                &[],
                r#"{"access_token":"CANARY-NEW","refresh_token":"CANARY-NEW-R"}"#,
            ),
            (0, _) => respond(401, &[], ""),
            _ => respond(429, &[("Retry-After", "100000")], ""),
        })
    });
    let credentials =
        Credentials::new("CANARY-TOKEN").refresh("client", "CANARY-SECRET", "CANARY-REFRESH");
    let builder = HttpClient::builder().credentials(credentials.clone());
    let builder_debug = format!("{builder:?}");
    let client = builder.build_with_service(service);
    let error = client.get("/people/me").await.unwrap_err();
    let refresh_error = Error::from(spark_http::RefreshError::NoCredentials);

    let mut outputs = vec![
        format!("{credentials:?}"),
        builder_debug,
        format!("{client:?}"),
        format!("{error:?}"),
        error.to_string(),
        format!("{refresh_error:?}"),
        format!("{:?}", Body::from("x")),
    ];
    outputs.push(String::from_utf8(captured.0.lock().unwrap().clone()).unwrap());
    assert!(
        outputs.last().unwrap().contains("spark_http::attempt"),
        "tracing output was captured"
    );
    for output in &outputs {
        for canary in CANARIES {
            assert!(!output.contains(canary), "{canary} leaked into: {output}");
        }
    }
}
