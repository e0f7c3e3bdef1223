//! Licenses: the `License` resource (`/licenses`) and its list parameters.

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::enums::string_enum;

string_enum! {
    /// Who manages the Webex Meetings site of a license.
    pub enum SiteType {
        /// The site is managed by Webex Control Hub.
        ControlHubManaged => "Control Hub managed site",
        /// The site is a linked site.
        Linked => "Linked site",
        /// The site is managed by Site Administration.
        SiteAdminManaged => "Site Admin managed site",
    }
}

string_enum! {
    /// Whether a license holder belongs to the license's organization.
    pub enum LicenseUserType {
        /// The user belongs to the license's organization.
        Internal => "INTERNAL",
        /// The user belongs to another organization.
        External => "EXTERNAL",
    }
}

/// A license: a licensed feature of an organization and its usage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct License {
    /// A unique identifier for the license.
    #[serde(default)]
    pub id: String,
    /// The name of the licensed feature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The number of license units allocated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_units: Option<u64>,
    /// The number of license units consumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_units: Option<u64>,
    /// The number of license units consumed by users.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_by_users: Option<u64>,
    /// The number of license units consumed by workspaces.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consumed_by_workspaces: Option<u64>,
    /// The subscription ID of the license (as shown in Control Hub).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subscription_id: Option<String>,
    /// The Webex Meetings site of the license.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_url: Option<String>,
    /// Who manages that site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_type: Option<SiteType>,
    /// The users holding the license (only with `includeAssignedTo=user` on a single license).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub users: Option<Vec<LicenseUser>>,
}

/// A user holding a license.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LicenseUser {
    /// A unique identifier for the user.
    #[serde(default)]
    pub id: String,
    /// Whether the user belongs to the license's organization.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub user_type: Option<LicenseUserType>,
    /// The full name of the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The email address of the user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Query parameters of `GET /licenses` (List Licenses).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListLicenses {
    /// List the licenses of this organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The page size. The API does not document paging for this list: absent unless set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
}

impl ListLicenses {
    /// The licenses of the caller's organization.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Lists the licenses of this organization.
        into org_id: String;
        /// Sets the page size.
        value max: u32;
    }
}
