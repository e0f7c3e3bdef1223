//! `/memberships`: Room memberships.

use spark_model::{CreateMembership, ListMemberships, Membership, UpdateMembership};

use super::{create_op, delete_op, get_op, list_op, service, update_op};

service!(
    /// Room memberships.
    Memberships,
    "memberships"
);
list_op!(Memberships, "memberships", ListMemberships, Membership);
get_op!(Memberships, "memberships", Membership);
create_op!(Memberships, "memberships", CreateMembership, Membership);
update_op!(Memberships, "memberships", UpdateMembership, Membership);
delete_op!(Memberships, "memberships");
