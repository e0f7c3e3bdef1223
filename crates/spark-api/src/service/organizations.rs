//! `/organizations`: Organizations (read only).

use spark_model::{ListOrganizations, Organization};

use super::{get_op, list_op, service};

service!(
    /// Organizations (read only).
    Organizations,
    "organizations"
);
list_op!(
    Organizations,
    "organizations",
    ListOrganizations,
    Organization
);
get_op!(Organizations, "organizations", Organization);
