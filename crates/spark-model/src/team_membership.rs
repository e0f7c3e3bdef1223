//! Team memberships: the `TeamMembership` resource (`/team/memberships`) and its request
//! parameters.

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::common::Timestamp;

/// A team membership: a person's presence in a team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TeamMembership {
    /// A unique identifier for the team membership.
    #[serde(default)]
    pub id: String,
    /// The team ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
    /// The person ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The email address of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_email: Option<String>,
    /// The display name of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_display_name: Option<String>,
    /// The organization ID of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_org_id: Option<String>,
    /// Whether the person is a moderator of the team.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_moderator: Option<bool>,
    /// When the team membership was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
}

/// Query parameters of `GET /team/memberships` (List Team Memberships).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListTeamMemberships {
    /// List the memberships of this team.
    #[serde(default)]
    pub team_id: String,
    /// The page size: the most team memberships in one response (not a total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl ListTeamMemberships {
    /// The memberships of this team.
    pub fn new(team_id: impl Into<String>) -> Self {
        Self {
            team_id: team_id.into(),
            max: None,
        }
    }

    setters! {
        /// Sets the page size (team memberships per response, not a total).
        value max: u32;
    }
}

/// Body of `POST /team/memberships` (Create a Team Membership): add a person to a team.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateTeamMembership {
    /// The team ID.
    #[serde(default)]
    pub team_id: String,
    /// The person ID.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
    /// The email address of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_email: Option<String>,
    /// Whether the person is a moderator of the team.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub is_moderator: Option<bool>,
}

impl CreateTeamMembership {
    /// A membership in this team; set the person with [`person_id`](Self::person_id) or
    /// [`person_email`](Self::person_email).
    pub fn new(team_id: impl Into<String>) -> Self {
        Self {
            team_id: team_id.into(),
            ..Self::default()
        }
    }

    /// Adds the person with this ID to the team.
    pub fn with_person_id(team_id: impl Into<String>, person_id: impl Into<String>) -> Self {
        Self::new(team_id).person_id(person_id)
    }

    /// Adds the person with this email address to the team.
    pub fn with_person_email(team_id: impl Into<String>, person_email: impl Into<String>) -> Self {
        Self::new(team_id).person_email(person_email)
    }

    setters! {
        /// Sets the person, by ID.
        into person_id: String;
        /// Sets the person, by email address.
        into person_email: String;
        /// Makes the person a moderator or not.
        value is_moderator: bool;
    }
}

/// Body of `PUT /team/memberships/{membershipId}` (Update a Team Membership).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTeamMembership {
    /// Whether the person is a moderator of the team.
    #[serde(default, with = "crate::common::lenient_bool")]
    pub is_moderator: bool,
}

impl UpdateTeamMembership {
    /// An update with the field the API requires.
    pub fn new(is_moderator: bool) -> Self {
        Self { is_moderator }
    }
}
