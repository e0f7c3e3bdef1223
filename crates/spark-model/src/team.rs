//! Teams: the `Team` resource (`/teams`) and its request parameters.

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::common::Timestamp;

/// A team: a group of people with a set of rooms visible to all its members.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Team {
    /// A unique identifier for the team.
    #[serde(default)]
    pub id: String,
    /// A user-friendly name for the team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The team's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// When the team was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
}

/// Query parameters of `GET /teams` (List Teams).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTeams {
    /// The page size: the most teams in one response (not a total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl ListTeams {
    /// The caller's teams.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Sets the page size (teams per response, not a total).
        value max: u32;
    }
}

/// Body of `POST /teams` (Create a Team).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTeam {
    /// A user-friendly name for the team.
    #[serde(default)]
    pub name: String,
    /// The team's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl CreateTeam {
    /// A team with this name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: None,
        }
    }

    setters! {
        /// Sets the description.
        into description: String;
    }
}

/// Body of `PUT /teams/{teamId}` (Update a Team).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTeam {
    /// A user-friendly name for the team.
    #[serde(default)]
    pub name: String,
    /// The team's description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl UpdateTeam {
    /// An update setting the (required) name.
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            description: None,
        }
    }

    setters! {
        /// Sets the description.
        into description: String;
    }
}
