//! What a command can fail with, the exit code of each failure, and how it is told on stderr.
//!
//! The exit codes are stable:
//!
//! | code | meaning |
//! | --- | --- |
//! | 0 | success |
//! | 1 | the API answered with an error (its message and tracking id go to stderr), or a local failure |
//! | 2 | usage: an unknown command or flag, a missing or malformed value |
//! | 3 | authentication: no credentials, a token the API refused and no refresh could replace |
//! | 4 | rate limited: the API kept answering 429 past what the retries absorb |
//! | 5 | network: no connection, a timeout, a connection that broke |

use std::fmt;
use std::process::ExitCode;

use spark_api::http::Error as HttpError;

/// The exit codes, as documented in `spark --help`.
pub(crate) const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  the API answered with an error (message and tracking id on stderr), or a local failure
  2  usage error (unknown command or flag, bad value)
  3  authentication (no credentials, token refused and not refreshable)
  4  rate limit not absorbed by the retries
  5  network (no connection, timeout, connection broken)";

/// A failure of a command.
#[derive(Debug)]
pub(crate) enum CliError {
    /// The command line was not usable (exit code 2).
    Usage(String),
    /// No usable credentials (exit code 3).
    Auth(String),
    /// The client failed (exit code from its kind).
    Api(spark_api::Error),
    /// Anything else: a local file, the emulator, the login listener (exit code 1).
    Other(String),
}

/// A `Result` whose error is [`CliError`].
pub(crate) type CliResult<T = ()> = Result<T, CliError>;

impl From<spark_api::Error> for CliError {
    fn from(error: spark_api::Error) -> Self {
        CliError::Api(error)
    }
}

impl From<HttpError> for CliError {
    fn from(error: HttpError) -> Self {
        CliError::Api(spark_api::Error::Http(error))
    }
}

impl From<std::io::Error> for CliError {
    fn from(error: std::io::Error) -> Self {
        CliError::Other(error.to_string())
    }
}

impl CliError {
    /// The process exit code for this failure.
    pub(crate) fn code(&self) -> u8 {
        match self {
            CliError::Usage(_) => 2,
            CliError::Auth(_) => 3,
            CliError::Other(_) => 1,
            CliError::Api(error) => api_code(error),
        }
    }

    /// Prints the failure to stderr: the message, then the API's details and tracking id.
    pub(crate) fn report(&self) {
        let style = anstyle::Style::new()
            .bold()
            .fg_color(Some(anstyle::AnsiColor::Red.into()));
        anstream::eprintln!("{style}error{style:#}: {self}");
        if let CliError::Api(error) = self {
            for line in details(error) {
                anstream::eprintln!("  {line}");
            }
        }
    }

    /// The exit code as a process [`ExitCode`].
    pub(crate) fn exit_code(&self) -> ExitCode {
        ExitCode::from(self.code())
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Usage(message) | CliError::Auth(message) | CliError::Other(message) => {
                f.write_str(message)
            }
            CliError::Api(error) => {
                write!(f, "{error}")?;
                let mut source = std::error::Error::source(error);
                while let Some(cause) = source {
                    write!(f, ": {cause}")?;
                    source = cause.source();
                }
                Ok(())
            }
        }
    }
}

fn api_code(error: &spark_api::Error) -> u8 {
    match error {
        spark_api::Error::Api(api) => match api.status.as_u16() {
            401 => 3,
            429 => 4,
            _ => 1,
        },
        spark_api::Error::Http(http) => http_code(http),
        spark_api::Error::MissingCredentials { .. }
        | spark_api::Error::IncompleteRefreshCredentials { .. } => 3,
        _ => 1,
    }
}

fn http_code(error: &HttpError) -> u8 {
    match error {
        HttpError::Unauthorized { .. } | HttpError::Refresh(_) | HttpError::InvalidToken => 3,
        HttpError::RateLimited { .. } => 4,
        HttpError::Connect { .. }
        | HttpError::Proxy { .. }
        | HttpError::Timeout { .. }
        | HttpError::Transport(_)
        | HttpError::Body(_) => 5,
        _ => 1,
    }
}

/// The lines under the message: the API's descriptions and the tracking id.
fn details(error: &spark_api::Error) -> Vec<String> {
    let mut lines = Vec::new();
    match error {
        // The message and the tracking id are in the error's own text already.
        spark_api::Error::Api(api) => lines.extend(
            api.descriptions
                .iter()
                .filter(|d| Some(d.as_str()) != api.message.as_deref())
                .cloned(),
        ),
        spark_api::Error::Http(
            HttpError::RateLimited { tracking_id, .. }
            | HttpError::Unauthorized { tracking_id, .. },
        ) => {
            if let Some(id) = tracking_id {
                lines.push(format!("tracking id: {id}"));
            }
        }
        _ => {}
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_and_auth_have_their_codes() {
        assert_eq!(CliError::Usage("x".into()).code(), 2);
        assert_eq!(CliError::Auth("x".into()).code(), 3);
        assert_eq!(CliError::Other("x".into()).code(), 1);
    }

    #[test]
    fn api_statuses_map_to_codes() {
        let api = |status: u16| {
            spark_api::Error::Api(Box::new(spark_api::ApiError::from_answer(
                http::StatusCode::from_u16(status).unwrap(),
                Some("ROUTER_1".into()),
                None,
                bytes::Bytes::from_static(br#"{"message":"nope"}"#),
            )))
        };
        assert_eq!(CliError::Api(api(404)).code(), 1);
        assert_eq!(CliError::Api(api(401)).code(), 3);
        assert_eq!(CliError::Api(api(429)).code(), 4);
        assert!(details(&api(404)).is_empty());
        assert!(
            CliError::Api(api(404))
                .to_string()
                .contains("tracking id ROUTER_1")
        );
    }

    #[test]
    fn network_and_rate_limit_failures_have_their_codes() {
        let connect = HttpError::Connect {
            origin: "http://127.0.0.1:9".into(),
            source: "refused".into(),
        };
        assert_eq!(CliError::from(connect).code(), 5);
        let limited = HttpError::RateLimited {
            status: http::StatusCode::TOO_MANY_REQUESTS,
            retry_after: None,
            attempts: 4,
            tracking_id: None,
            body: bytes::Bytes::new(),
        };
        assert_eq!(CliError::from(limited).code(), 4);
    }
}
