//! Organizations: the `Organization` resource (`/organizations`) and its list parameters.

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::common::Timestamp;

/// An organization: a set of people, rooms and licenses administered together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    /// A unique identifier for the organization.
    #[serde(default)]
    pub id: String,
    /// The full name of the organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// When the organization was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
}

/// Query parameters of `GET /organizations` (List Organizations). The API documents none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListOrganizations {
    /// The page size. The API does not document paging for this list: absent unless set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl ListOrganizations {
    /// All the organizations the caller can see.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Sets the page size.
        value max: u32;
    }
}
