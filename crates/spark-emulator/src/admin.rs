//! The organization's administration: its one organization, its licenses and the standard admin
//! roles, the seeded administrator, and who may manage people.
//!
//! Every emulator starts with one organization (the one every person belongs to), three licenses
//! (messaging, meetings, calling) and the standard Webex roles. The seeded people hold the
//! messaging and meetings licenses and no role; the seeded administrator ([`ADMIN_EMAIL`]) holds
//! every license and the Full Administrator role. A person is an administrator of people (may
//! create, update and delete them) while they hold the Full Administrator or the User and Device
//! Administrator role. A license's consumed units are counted from the people holding it, at
//! every read.

use spark_model::{License, Organization, Person, PersonStatus, Role, SiteType};

use crate::errors::{Failure, Outcome};
use crate::meeting::SITE_URL;
use crate::server::Emulator;
use crate::state::{HasId, State, Table, now};

/// The email of the seeded administrator, whose token [`Emulator::admin_token`] gives.
pub const ADMIN_EMAIL: &str = "admin@example.com";

/// The display name of the seeded administrator.
const ADMIN_NAME: &str = "Margaret Hamilton";

/// The display name of the organization.
const ORGANIZATION_NAME: &str = "Example, Inc.";

/// The role that may do everything.
const FULL_ADMINISTRATOR: &str = "Full Administrator";

/// The standard roles, in the order `/roles` lists them; the second field tells whether the role
/// may manage people.
const ROLES: [(&str, bool); 6] = [
    (FULL_ADMINISTRATOR, true),
    ("Read-only Administrator", false),
    ("Support Administrator", false),
    ("User and Device Administrator", true),
    ("Device Administrator", false),
    ("Compliance Officer", false),
];

/// A seeded license: its name, its units, its site (meetings only) and whether the seeded people
/// hold it.
struct SeedLicense {
    name: &'static str,
    total_units: u64,
    site: bool,
    everyone: bool,
}

const LICENSES: [SeedLicense; 3] = [
    SeedLicense {
        name: "Messaging",
        total_units: 100,
        site: false,
        everyone: true,
    },
    SeedLicense {
        name: "Meeting - Webex Meeting Center",
        total_units: 50,
        site: true,
        everyone: true,
    },
    SeedLicense {
        name: "Webex Calling - Professional",
        total_units: 25,
        site: false,
        everyone: false,
    },
];

impl HasId for Organization {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for License {
    fn id(&self) -> &str {
        &self.id
    }
}

impl HasId for Role {
    fn id(&self) -> &str {
        &self.id
    }
}

/// The organizations, licenses and roles (all read only through the API).
#[derive(Debug, Default)]
pub(crate) struct Admin {
    pub(crate) organizations: Table<Organization>,
    pub(crate) licenses: Table<License>,
    pub(crate) roles: Table<Role>,
    /// The roles whose holders may manage people.
    people_admin_roles: Vec<String>,
}

impl Admin {
    /// A license as the API shows it: its consumed units counted from the people holding it.
    pub(crate) fn license_view(&self, people: &Table<Person>, id: &str) -> Option<License> {
        let mut license = self.licenses.get(id)?.clone();
        let holders = people
            .iter()
            .filter(|(_, person)| {
                person
                    .licenses
                    .iter()
                    .flatten()
                    .any(|held| held == &license.id)
            })
            .count() as u64;
        license.consumed_units = Some(holders);
        license.consumed_by_users = Some(holders);
        license.consumed_by_workspaces = Some(0);
        Some(license)
    }
}

/// Seeds the organization, the licenses and the roles, gives the people known so far their
/// licenses, and adds the administrator.
pub(crate) fn seed(state: &mut State) {
    let (seq, _) = state.next_id("ORGANIZATION");
    let organization = Organization {
        id: state.org_id.clone(),
        display_name: Some(ORGANIZATION_NAME.to_owned()),
        created: Some(now()),
    };
    state.admin.organizations.insert(seq, organization);

    let mut full_administrator = String::new();
    for (name, manages_people) in ROLES {
        let (seq, id) = state.next_id("ROLE");
        if name == FULL_ADMINISTRATOR {
            full_administrator.clone_from(&id);
        }
        if manages_people {
            state.admin.people_admin_roles.push(id.clone());
        }
        let role = Role {
            id,
            name: Some(name.to_owned()),
        };
        state.admin.roles.insert(seq, role);
    }

    let mut everyone = Vec::new();
    let mut all = Vec::new();
    for (index, seed) in LICENSES.iter().enumerate() {
        let (seq, id) = state.next_id("LICENSE");
        let license = License {
            id: id.clone(),
            name: Some(seed.name.to_owned()),
            total_units: Some(seed.total_units),
            subscription_id: Some(format!("Sub-emulator{}", index + 1)),
            site_url: seed.site.then(|| SITE_URL.to_owned()),
            site_type: seed.site.then_some(SiteType::ControlHubManaged),
            ..License::default()
        };
        state.admin.licenses.insert(seq, license);
        if seed.everyone {
            everyone.push(id.clone());
        }
        all.push(id);
    }

    let known: Vec<String> = state
        .people
        .iter()
        .map(|(_, person)| person.id.clone())
        .collect();
    for id in known {
        if let Some(person) = state.people.get_mut(&id) {
            person.roles = Some(Vec::new());
            person.licenses = Some(everyone.clone());
            person.login_enabled = Some(true);
            person.invite_pending = Some(false);
        }
    }

    let admin = state.add_person(ADMIN_EMAIL, ADMIN_NAME).id;
    if let Some(person) = state.people.get_mut(&admin) {
        person.roles = Some(vec![full_administrator]);
        person.licenses = Some(all);
        person.login_enabled = Some(true);
        person.invite_pending = Some(false);
        person.status = Some(PersonStatus::Active);
    }
}

/// Whether a person holds a role that may manage people.
pub(crate) fn is_admin(state: &State, person_id: &str) -> bool {
    state.people.get(person_id).is_some_and(|person| {
        person
            .roles
            .iter()
            .flatten()
            .any(|role| state.admin.people_admin_roles.contains(role))
    })
}

/// 403 unless the person may manage people.
pub(crate) fn require_admin(state: &State, person_id: &str) -> Outcome<()> {
    if is_admin(state, person_id) {
        Ok(())
    } else {
        Err(Failure::forbidden(
            "The caller is not an administrator: this operation needs the Full Administrator or the User and Device Administrator role.",
        ))
    }
}

impl Emulator {
    /// Issues a new access token for the seeded administrator ([`ADMIN_EMAIL`], Full
    /// Administrator), who may create, update and delete people.
    pub fn admin_token(&self) -> String {
        self.token_for(ADMIN_EMAIL).unwrap_or_default()
    }
}
