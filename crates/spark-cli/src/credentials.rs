//! Where the access token comes from, first match wins: `--token`, then `--profile NAME` when
//! given, then the library's environment variables (`WEBEX_ACCESS_TOKEN`, ..., with refresh
//! settings and `WEBEX_BASE_URL`), then the `default` profile. A profile made by `spark login`
//! refreshes its token through the library and stores each new pair.

use spark_api::ClientBuilder;

use crate::error::{CliError, CliResult};
use crate::globals::Globals;
use crate::profile::{self, DEFAULT_PROFILE, Profile};

/// Which source gave the credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Source {
    /// `--token`.
    Flag,
    /// The environment.
    Environment,
    /// A profile, by name.
    Profile(String),
}

/// A client builder with the credentials of the first source that has some.
pub(crate) fn builder(globals: &Globals) -> CliResult<(ClientBuilder, Source)> {
    builder_with(globals, |name| std::env::var(name).ok())
}

/// Like [`builder`], reading the environment through `lookup`.
pub(crate) fn builder_with(
    globals: &Globals,
    lookup: impl Fn(&str) -> Option<String>,
) -> CliResult<(ClientBuilder, Source)> {
    let base = || -> CliResult<ClientBuilder> {
        let mut builder = spark_api::Client::builder();
        if let Some(url) = &globals.base_url {
            builder = builder.base_url(url)?;
        }
        Ok(builder)
    };
    if let Some(token) = globals.token.as_deref().filter(|t| !t.trim().is_empty()) {
        let mut builder = base()?.access_token(token.trim());
        if globals.base_url.is_none()
            && let Some(url) = spark_api::BASE_URL_VARIABLES.iter().find_map(|v| lookup(v))
        {
            builder = builder.base_url(&url)?;
        }
        return Ok((builder, Source::Flag));
    }
    if let Some(name) = &globals.profile {
        return match profile::load(name)? {
            Some(found) => Ok((
                from_profile(base()?, name, found, globals)?,
                Source::Profile(name.clone()),
            )),
            None => Err(CliError::Auth(format!(
                "no profile `{name}` (spark login --profile {name}, or see spark token --help)"
            ))),
        };
    }
    let env_has_token = spark_api::ACCESS_TOKEN_VARIABLES
        .iter()
        .any(|name| lookup(name).is_some_and(|v| !v.trim().is_empty()));
    if env_has_token {
        let mut builder = spark_api::Client::builder().from_lookup(&lookup)?;
        if let Some(url) = &globals.base_url {
            builder = builder.base_url(url)?;
        }
        return Ok((builder, Source::Environment));
    }
    if let Some(found) = profile::load(DEFAULT_PROFILE)? {
        return Ok((
            from_profile(base()?, DEFAULT_PROFILE, found, globals)?,
            Source::Profile(DEFAULT_PROFILE.to_owned()),
        ));
    }
    Err(CliError::Auth(format!(
        "no Webex access token: pass --token, set {}, or run `spark login`",
        spark_api::ACCESS_TOKEN_VARIABLES.join(" or ")
    )))
}

/// The builder for a stored profile; with refresh credentials, each refreshed pair is stored.
fn from_profile(
    mut builder: ClientBuilder,
    name: &str,
    found: Profile,
    globals: &Globals,
) -> CliResult<ClientBuilder> {
    if globals.base_url.is_none()
        && let Some(url) = &found.base_url
    {
        builder = builder.base_url(url)?;
    }
    builder = builder.access_token(found.access_token.clone());
    if let (Some(id), Some(secret), Some(refresh)) =
        (&found.client_id, &found.client_secret, &found.refresh_token)
    {
        let name = name.to_owned();
        let stored = found.clone();
        builder = builder
            .refresh(id.clone(), secret.clone(), refresh.clone())
            .on_token_refresh(move |pair| {
                let mut updated = stored.clone();
                updated.access_token = pair.access_token.expose_secret().to_owned();
                updated.refresh_token = Some(pair.refresh_token.expose_secret().to_owned());
                if let Err(error) = profile::save(&name, updated) {
                    anstream::eprintln!("warning: the refreshed token was not stored: {error}");
                }
            });
    }
    Ok(builder)
}

/// The access token itself and its source, for `spark token --show` only.
pub(crate) fn token(globals: &Globals) -> CliResult<(String, Source)> {
    if let Some(token) = globals.token.as_deref().filter(|t| !t.trim().is_empty()) {
        return Ok((token.trim().to_owned(), Source::Flag));
    }
    let from_env = || {
        spark_api::ACCESS_TOKEN_VARIABLES
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    };
    let name = match &globals.profile {
        Some(name) => name.clone(),
        None => {
            if let Some(token) = from_env() {
                return Ok((token.trim().to_owned(), Source::Environment));
            }
            DEFAULT_PROFILE.to_owned()
        }
    };
    match profile::load(&name)? {
        Some(found) => Ok((found.access_token, Source::Profile(name))),
        None => Err(CliError::Auth(format!(
            "no token: no --token, no {} and no profile `{name}`",
            spark_api::ACCESS_TOKEN_VARIABLES[0]
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_comes_first() {
        let globals = Globals {
            token: Some("from-flag".into()),
            ..Globals::default()
        };
        let (_, source) = builder_with(&globals, |name| {
            (name == "WEBEX_ACCESS_TOKEN").then(|| "from-env".to_owned())
        })
        .unwrap();
        assert_eq!(source, Source::Flag);
    }

    #[test]
    fn the_environment_comes_next() {
        let globals = Globals::default();
        let lookup = |name: &str| (name == "WEBEX_ACCESS_TOKEN").then(|| "t".to_owned());
        let (_, source) = builder_with(&globals, lookup).unwrap();
        assert_eq!(source, Source::Environment);
    }
}
