//! Profiles: named credentials kept in `profiles.json` in the user's config directory
//! (`~/.config/spark` on Linux; `SPARK_CONFIG_DIR` overrides it), written readable by its owner
//! only (mode 0600).

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{CliError, CliResult};

/// The profile used when `--profile` is not given.
pub(crate) const DEFAULT_PROFILE: &str = "default";

/// One profile: an access token, and what refreshing it takes when it came from `spark login`.
#[derive(Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Profile {
    /// The access token.
    pub(crate) access_token: String,
    /// The refresh token, from `spark login`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) refresh_token: Option<String>,
    /// The integration's client id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) client_id: Option<String>,
    /// The integration's client secret.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) client_secret: Option<String>,
    /// The API's base URL, when not Webex's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) base_url: Option<String>,
}

/// Secrets are never shown.
impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("access_token", &"***")
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "***"))
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret.as_ref().map(|_| "***"))
            .field("base_url", &self.base_url)
            .finish()
    }
}

/// The whole file.
#[derive(Debug, Default, Serialize, Deserialize)]
struct ProfileFile {
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// The directory the profiles live in.
pub(crate) fn config_dir() -> CliResult<PathBuf> {
    if let Some(dir) = std::env::var_os("SPARK_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("com", "webex-spark", "spark")
        .map(|dirs| dirs.config_dir().to_owned())
        .ok_or_else(|| CliError::Other("no home directory: set SPARK_CONFIG_DIR".to_owned()))
}

/// The profiles file's path.
pub(crate) fn file_path() -> CliResult<PathBuf> {
    Ok(config_dir()?.join("profiles.json"))
}

fn read_file(path: &Path) -> CliResult<ProfileFile> {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).map_err(|error| {
            CliError::Other(format!(
                "{} is not a profiles file: {error}",
                path.display()
            ))
        }),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(ProfileFile::default()),
        Err(error) => Err(CliError::Other(format!(
            "cannot read {}: {error}",
            path.display()
        ))),
    }
}

/// The profile `name`, if the file has it.
pub(crate) fn load(name: &str) -> CliResult<Option<Profile>> {
    Ok(read_file(&file_path()?)?.profiles.remove(name))
}

/// Stores `profile` under `name`, keeping the others.
pub(crate) fn save(name: &str, profile: Profile) -> CliResult {
    let path = file_path()?;
    let mut file = read_file(&path)?;
    file.profiles.insert(name.to_owned(), profile);
    write_file(&path, &file)
}

/// Removes the profile `name`; true when it was there.
pub(crate) fn remove(name: &str) -> CliResult<bool> {
    let path = file_path()?;
    let mut file = read_file(&path)?;
    let removed = file.profiles.remove(name).is_some();
    if removed {
        write_file(&path, &file)?;
    }
    Ok(removed)
}

/// Writes the file through a temporary one (mode 0600 on Unix) renamed over it.
fn write_file(path: &Path, file: &ProfileFile) -> CliResult {
    use std::io::Write;

    let failed = |error: std::io::Error| {
        CliError::Other(format!("cannot write {}: {error}", path.display()))
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let json = serde_json::to_vec_pretty(file).map_err(|e| CliError::Other(e.to_string()))?;
    let temporary = path.with_extension("json.tmp");
    let mut open = std::fs::OpenOptions::new();
    open.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.mode(0o600);
    }
    let mut out = open.open(&temporary).map_err(failed)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        out.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(failed)?;
    }
    out.write_all(&json).map_err(failed)?;
    out.sync_all().map_err(failed)?;
    std::fs::rename(&temporary, path).map_err(failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_secrets() {
        let profile = Profile {
            access_token: "secret-token".into(),
            refresh_token: Some("secret-refresh".into()),
            client_id: Some("id".into()),
            client_secret: Some("secret-client".into()),
            base_url: None,
        };
        let shown = format!("{profile:?}");
        for secret in ["secret-token", "secret-refresh", "secret-client"] {
            assert!(!shown.contains(secret), "{shown}");
        }
    }
}
