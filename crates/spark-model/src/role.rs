//! Roles: the `Role` resource (`/roles`), an administrator role, and its list parameters.

use serde::{Deserialize, Serialize};

use crate::builder::setters;

/// A role: a set of administrative permissions a person can hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    /// A unique identifier for the role.
    #[serde(default)]
    pub id: String,
    /// The name of the role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// Query parameters of `GET /roles` (List Roles). The API documents none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListRoles {
    /// The page size. The API does not document paging for this list: absent unless set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl ListRoles {
    /// All the roles.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Sets the page size.
        value max: u32;
    }
}
