//! `/team/memberships`: Team memberships.

use spark_model::{
    CreateTeamMembership, ListTeamMemberships, TeamMembership, UpdateTeamMembership,
};

use super::{create_op, delete_op, get_op, list_op, service, update_op};

service!(
    /// Team memberships.
    TeamMemberships,
    "team/memberships"
);
list_op!(
    TeamMemberships,
    "team/memberships",
    ListTeamMemberships,
    TeamMembership
);
get_op!(TeamMemberships, "team/memberships", TeamMembership);
create_op!(
    TeamMemberships,
    "team/memberships",
    CreateTeamMembership,
    TeamMembership
);
update_op!(
    TeamMemberships,
    "team/memberships",
    UpdateTeamMembership,
    TeamMembership
);
delete_op!(TeamMemberships, "team/memberships");
