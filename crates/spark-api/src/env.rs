//! Credentials from the environment: `WEBEX_*` or the older `CISCO_SPARK_*` variables.

use spark_http::SecretString;

use crate::error::{Error, Result};

/// The access token variables, first match wins.
pub const ACCESS_TOKEN_VARIABLES: [&str; 2] = ["WEBEX_ACCESS_TOKEN", "CISCO_SPARK_ACCESS_TOKEN"];
/// The refresh token variables.
pub const REFRESH_TOKEN_VARIABLES: [&str; 2] = ["WEBEX_REFRESH_TOKEN", "CISCO_SPARK_REFRESH_TOKEN"];
/// The integration's client id variables.
pub const CLIENT_ID_VARIABLES: [&str; 2] = ["WEBEX_CLIENT_ID", "CISCO_SPARK_CLIENT_ID"];
/// The integration's client secret variables.
pub const CLIENT_SECRET_VARIABLES: [&str; 2] = ["WEBEX_CLIENT_SECRET", "CISCO_SPARK_CLIENT_SECRET"];
/// The base URL variables (optional; the default is `https://webexapis.com/v1`).
pub const BASE_URL_VARIABLES: [&str; 2] = ["WEBEX_BASE_URL", "CISCO_SPARK_BASE_URL"];

/// What the environment says about where and how to connect.
#[derive(Debug, Clone)]
pub(crate) struct EnvSettings {
    pub(crate) access_token: SecretString,
    /// The integration's client id, client secret and refresh token, when all three are set.
    pub(crate) refresh: Option<RefreshParts>,
    pub(crate) base_url: Option<String>,
}

/// What a refresh takes, as read from the environment.
#[derive(Debug, Clone)]
pub(crate) struct RefreshParts {
    pub(crate) client_id: String,
    pub(crate) client_secret: SecretString,
    pub(crate) refresh_token: SecretString,
}

/// Reads the settings through `lookup` (the process environment in production), never writing.
///
/// A token is required; refresh is wired only when the refresh token, client id and client
/// secret are all present.
pub(crate) fn settings_from(lookup: impl Fn(&str) -> Option<String>) -> Result<EnvSettings> {
    let first = |names: [&str; 2]| {
        names
            .iter()
            .find_map(|name| lookup(name).filter(|value| !value.trim().is_empty()))
    };
    let token = first(ACCESS_TOKEN_VARIABLES).ok_or(Error::MissingCredentials {
        variables: "WEBEX_ACCESS_TOKEN or CISCO_SPARK_ACCESS_TOKEN",
    })?;
    let refresh = match (
        first(REFRESH_TOKEN_VARIABLES),
        first(CLIENT_ID_VARIABLES),
        first(CLIENT_SECRET_VARIABLES),
    ) {
        (Some(refresh), Some(id), Some(secret)) => Some(RefreshParts {
            client_id: id.trim().to_owned(),
            client_secret: SecretString::new(secret.trim()),
            refresh_token: SecretString::new(refresh.trim()),
        }),
        _ => None,
    };
    Ok(EnvSettings {
        access_token: SecretString::new(token.trim()),
        refresh,
        base_url: first(BASE_URL_VARIABLES).map(|url| url.trim().to_owned()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<EnvSettings> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        settings_from(|name| vars.get(name).cloned())
    }

    #[test]
    fn a_missing_token_names_the_variables() {
        let error = settings(&[]).unwrap_err();
        let text = error.to_string();
        assert!(text.contains("WEBEX_ACCESS_TOKEN") && text.contains("CISCO_SPARK_ACCESS_TOKEN"));
        assert!(settings(&[("WEBEX_ACCESS_TOKEN", "  ")]).is_err());
    }

    #[test]
    fn either_token_variable_works_and_webex_wins() {
        for name in ACCESS_TOKEN_VARIABLES {
            let found = settings(&[(name, " T\n")]).unwrap();
            assert_eq!(found.access_token.expose_secret(), "T");
            assert!(found.refresh.is_none());
        }
        let both = settings(&[
            ("WEBEX_ACCESS_TOKEN", "W"),
            ("CISCO_SPARK_ACCESS_TOKEN", "C"),
        ])
        .unwrap();
        assert_eq!(both.access_token.expose_secret(), "W");
    }

    #[test]
    fn refresh_is_wired_only_with_all_three_refresh_variables() {
        let all = [
            ("CISCO_SPARK_ACCESS_TOKEN", "T"),
            ("CISCO_SPARK_REFRESH_TOKEN", "R"),
            ("CISCO_SPARK_CLIENT_ID", "I"),
            ("WEBEX_CLIENT_SECRET", "S"),
        ];
        let refresh = settings(&all).unwrap().refresh.unwrap();
        assert_eq!(refresh.client_id, "I");
        assert_eq!(refresh.client_secret.expose_secret(), "S");
        assert_eq!(refresh.refresh_token.expose_secret(), "R");
        for missing in 1..all.len() {
            let partial: Vec<_> = all
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != missing)
                .map(|(_, pair)| *pair)
                .collect();
            assert!(settings(&partial).unwrap().refresh.is_none());
        }
    }

    #[test]
    fn the_base_url_may_come_from_the_environment() {
        let found = settings(&[
            ("WEBEX_ACCESS_TOKEN", "T"),
            ("WEBEX_BASE_URL", "http://127.0.0.1:1/v1"),
        ])
        .unwrap();
        assert_eq!(found.base_url.as_deref(), Some("http://127.0.0.1:1/v1"));
    }
}
