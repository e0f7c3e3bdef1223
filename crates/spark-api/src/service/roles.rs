//! `/roles`: Roles (read only).

use spark_model::{ListRoles, Role};

use super::{get_op, list_op, service};

service!(
    /// Roles (read only).
    Roles,
    "roles"
);
list_op!(Roles, "roles", ListRoles, Role);
get_op!(Roles, "roles", Role);
