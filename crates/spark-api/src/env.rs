//! Credentials from the environment: `WEBEX_*` variables, or the older names other Webex
//! clients read (`WEBEX_TEAMS_*`, `CISCO_SPARK_*`, `SPARK_*`).

use std::fmt;

use spark_http::SecretString;

use crate::error::{Error, Result};

/// The access token variables, in the order they are read: the first one set (and not blank)
/// wins.
///
/// `WEBEX_ACCESS_TOKEN` comes first; `WEBEX_TEAMS_ACCESS_TOKEN` and `SPARK_ACCESS_TOKEN` are the
/// older names the official Python SDK still reads; `CISCO_SPARK_ACCESS_TOKEN` is this crate's
/// own older name. Newer names come before older ones.
pub const ACCESS_TOKEN_VARIABLES: [&str; 4] = [
    "WEBEX_ACCESS_TOKEN",
    "WEBEX_TEAMS_ACCESS_TOKEN",
    "CISCO_SPARK_ACCESS_TOKEN",
    "SPARK_ACCESS_TOKEN",
];
/// The refresh token variables, in the order they are read.
pub const REFRESH_TOKEN_VARIABLES: [&str; 2] = ["WEBEX_REFRESH_TOKEN", "CISCO_SPARK_REFRESH_TOKEN"];
/// The integration's client id variables, in the order they are read.
pub const CLIENT_ID_VARIABLES: [&str; 2] = ["WEBEX_CLIENT_ID", "CISCO_SPARK_CLIENT_ID"];
/// The integration's client secret variables, in the order they are read.
pub const CLIENT_SECRET_VARIABLES: [&str; 2] = ["WEBEX_CLIENT_SECRET", "CISCO_SPARK_CLIENT_SECRET"];
/// The base URL variables (optional; the default is `https://webexapis.com/v1`), in the order
/// they are read.
pub const BASE_URL_VARIABLES: [&str; 2] = ["WEBEX_BASE_URL", "CISCO_SPARK_BASE_URL"];

/// [`ACCESS_TOKEN_VARIABLES`] as one phrase, for the error that none is set.
const ACCESS_TOKEN_PHRASE: &str =
    "WEBEX_ACCESS_TOKEN, WEBEX_TEAMS_ACCESS_TOKEN, CISCO_SPARK_ACCESS_TOKEN or SPARK_ACCESS_TOKEN";

/// One of the three settings a token refresh needs, each read from its own variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RefreshSetting {
    /// The refresh token: [`REFRESH_TOKEN_VARIABLES`].
    RefreshToken,
    /// The integration's client id: [`CLIENT_ID_VARIABLES`].
    ClientId,
    /// The integration's client secret: [`CLIENT_SECRET_VARIABLES`].
    ClientSecret,
}

impl RefreshSetting {
    /// All three, in the order errors name them.
    pub const ALL: [RefreshSetting; 3] = [
        RefreshSetting::RefreshToken,
        RefreshSetting::ClientId,
        RefreshSetting::ClientSecret,
    ];

    /// The variables the setting is read from, first match wins.
    pub fn variables(self) -> &'static [&'static str] {
        match self {
            RefreshSetting::RefreshToken => &REFRESH_TOKEN_VARIABLES,
            RefreshSetting::ClientId => &CLIENT_ID_VARIABLES,
            RefreshSetting::ClientSecret => &CLIENT_SECRET_VARIABLES,
        }
    }
}

/// `the client secret (WEBEX_CLIENT_SECRET or CISCO_SPARK_CLIENT_SECRET)`.
impl fmt::Display for RefreshSetting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            RefreshSetting::RefreshToken => "the refresh token",
            RefreshSetting::ClientId => "the client id",
            RefreshSetting::ClientSecret => "the client secret",
        };
        write!(f, "{what} ({})", self.variables().join(" or "))
    }
}

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
/// A blank value counts as unset.
///
/// A token is required ([`Error::MissingCredentials`] without one). Refresh is wired when the
/// refresh token, client id and client secret are all set, and left off when none is; some
/// but not all of them is [`Error::IncompleteRefreshCredentials`], naming the missing ones.
pub(crate) fn settings_from(lookup: impl Fn(&str) -> Option<String>) -> Result<EnvSettings> {
    let first = |names: &[&str]| {
        names
            .iter()
            .find_map(|name| lookup(name).filter(|value| !value.trim().is_empty()))
            .map(|value| value.trim().to_owned())
    };
    let token = first(&ACCESS_TOKEN_VARIABLES).ok_or(Error::MissingCredentials {
        variables: ACCESS_TOKEN_PHRASE,
    })?;
    let [refresh_token, client_id, client_secret] =
        RefreshSetting::ALL.map(|setting| first(setting.variables()));
    let refresh = match (refresh_token, client_id, client_secret) {
        (Some(refresh), Some(id), Some(secret)) => Some(RefreshParts {
            client_id: id,
            client_secret: SecretString::new(secret),
            refresh_token: SecretString::new(refresh),
        }),
        (None, None, None) => None,
        found => {
            let set = [found.0.is_some(), found.1.is_some(), found.2.is_some()];
            let missing = RefreshSetting::ALL
                .into_iter()
                .zip(set)
                .filter(|(_, set)| !set)
                .map(|(setting, _)| setting)
                .collect();
            return Err(Error::IncompleteRefreshCredentials { missing });
        }
    };
    Ok(EnvSettings {
        access_token: SecretString::new(token),
        refresh,
        base_url: first(&BASE_URL_VARIABLES),
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
    fn a_missing_token_names_every_variable() {
        let error = settings(&[]).unwrap_err();
        let text = error.to_string();
        for name in ACCESS_TOKEN_VARIABLES {
            assert!(text.contains(name), "{text}");
        }
        assert!(settings(&[("WEBEX_ACCESS_TOKEN", "  ")]).is_err());
    }

    #[test]
    fn each_token_variable_works_and_the_earlier_one_wins() {
        for name in ACCESS_TOKEN_VARIABLES {
            let found = settings(&[(name, " T\n")]).unwrap();
            assert_eq!(found.access_token.expose_secret(), "T");
            assert!(found.refresh.is_none());
        }
        for (index, winner) in ACCESS_TOKEN_VARIABLES.iter().enumerate() {
            let mut vars: Vec<(&str, &str)> = ACCESS_TOKEN_VARIABLES[index..]
                .iter()
                .map(|name| (*name, *name))
                .collect();
            // A blank earlier variable does not hide a later one.
            vars.extend(
                ACCESS_TOKEN_VARIABLES[..index]
                    .iter()
                    .map(|name| (*name, " ")),
            );
            vars.reverse();
            let found = settings(&vars).unwrap();
            assert_eq!(found.access_token.expose_secret(), *winner);
        }
    }

    #[test]
    fn refresh_is_wired_with_all_three_refresh_variables() {
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
    }

    #[test]
    fn some_refresh_variables_without_the_others_name_exactly_the_missing_ones() {
        let refresh_vars = [
            ("WEBEX_REFRESH_TOKEN", "R"),
            ("WEBEX_CLIENT_ID", "I"),
            ("WEBEX_CLIENT_SECRET", "S"),
        ];
        // Every subset but the empty and the full one.
        for mask in 1..7u8 {
            let mut vars = vec![("WEBEX_ACCESS_TOKEN", "T")];
            let mut expected = Vec::new();
            for (bit, (pair, setting)) in refresh_vars.iter().zip(RefreshSetting::ALL).enumerate() {
                if mask & (1 << bit) != 0 {
                    vars.push(*pair);
                } else {
                    expected.push(setting);
                }
            }
            match settings(&vars).unwrap_err() {
                Error::IncompleteRefreshCredentials { missing } => assert_eq!(missing, expected),
                other => panic!("expected IncompleteRefreshCredentials, got {other:?}"),
            }
        }
        // A blank value counts as missing.
        let blank = settings(&[
            ("WEBEX_ACCESS_TOKEN", "T"),
            ("WEBEX_REFRESH_TOKEN", "R"),
            ("WEBEX_CLIENT_ID", "I"),
            ("WEBEX_CLIENT_SECRET", " "),
        ])
        .unwrap_err();
        let text = blank.to_string();
        assert!(
            text.contains("the client secret (WEBEX_CLIENT_SECRET or CISCO_SPARK_CLIENT_SECRET)"),
            "{text}"
        );
        assert!(!text.contains("client id ("), "{text}");
        assert!(!text.contains("S\""), "no value is printed: {text}");
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
