//! People: the `Person` resource (`/people`, `/people/me`) and its request parameters.

use serde::{Deserialize, Serialize};

use crate::builder::setters;
use crate::common::Timestamp;
use crate::enums::string_enum;

string_enum! {
    /// The presence status of a person.
    pub enum PersonStatus {
        /// Active within the last 10 minutes.
        Active => "active",
        /// In a call.
        Call => "call",
        /// Manually set to "Do Not Disturb".
        DoNotDisturb => "DoNotDisturb",
        /// Last activity more than 10 minutes ago.
        Inactive => "inactive",
        /// In a meeting.
        Meeting => "meeting",
        /// Marked as "Out of Office".
        OutOfOffice => "OutOfOffice",
        /// Never logged in: no status can be determined.
        Pending => "pending",
        /// Sharing content.
        Presenting => "presenting",
        /// The status could not be determined.
        Unknown => "unknown",
    }
}

string_enum! {
    /// The kind of account a person is.
    pub enum PersonType {
        /// The account belongs to a person.
        Person => "person",
        /// The account is a bot.
        Bot => "bot",
        /// The account is a guest user.
        AppUser => "appuser",
    }
}

string_enum! {
    /// The kind of a person's phone number.
    pub enum PhoneNumberType {
        /// Work phone number.
        Work => "work",
        /// Work extension (with a routing prefix for Webex Calling users).
        WorkExtension => "work_extension",
        /// Mobile number.
        Mobile => "mobile",
        /// Fax number.
        Fax => "fax",
    }
}

string_enum! {
    /// The kind of a person's SIP address.
    pub enum SipAddressType {
        /// Personal room address.
        PersonalRoom => "personal-room",
        /// Enterprise address.
        Enterprise => "enterprise",
        /// Cloud calling address.
        CloudCalling => "cloud-calling",
    }
}

/// A person: a user or a bot of Webex.
///
/// Fields the API leaves out (presence for people outside your organization, admin-only fields,
/// ...) are `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Person {
    /// A unique identifier for the person.
    #[serde(default)]
    pub id: String,
    /// The email addresses of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<Vec<String>>,
    /// Phone numbers for the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_numbers: Option<Vec<PhoneNumber>>,
    /// The Webex Calling extension of the person (Webex Calling license only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// The ID of the location of this person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// The full name of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The nickname of the person, if configured.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
    /// The first name of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The last name of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The URL of the person's avatar, in PNG format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// The ID of the organization to which this person belongs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The role IDs of this admin user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// The license IDs allocated to this person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licenses: Option<Vec<String>>,
    /// The business department the person belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// A manager identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// The person ID of the manager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_id: Option<String>,
    /// The person's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The person's addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<Address>>,
    /// When the person was created.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created: Option<Timestamp>,
    /// When the person was last changed.
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_modified: Option<Timestamp>,
    /// The time zone of the person, if configured (e.g. `America/Denver`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// When the person was last active within Webex (presence; own or managed organizations only).
    #[serde(
        default,
        with = "crate::common::opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub last_activity: Option<Timestamp>,
    /// Site names where this person has a role (`mysite.webex.com#attendee`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_urls: Option<Vec<String>>,
    /// The person's SIP addresses (read-only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sip_addresses: Option<Vec<SipAddress>>,
    /// Identifier for intra-domain federation with XMPP messengers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub xmpp_federation_jid: Option<String>,
    /// The current presence status of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<PersonStatus>,
    /// Whether an invite is pending for the person to activate the account (admins only).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub invite_pending: Option<bool>,
    /// Whether the person is allowed to use Webex (admins only).
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub login_enabled: Option<bool>,
    /// The kind of account: person, bot or guest.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub person_type: Option<PersonType>,
}

/// A phone number of a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhoneNumber {
    /// The kind of phone number.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub number_type: Option<PhoneNumberType>,
    /// The phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Whether this is the person's primary number.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub primary: Option<bool>,
}

impl PhoneNumber {
    /// A phone number of this kind, as sent when creating or updating a person.
    pub fn new(number_type: PhoneNumberType, value: impl Into<String>) -> Self {
        Self {
            number_type: Some(number_type),
            value: Some(value.into()),
            primary: None,
        }
    }
}

/// A SIP address of a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SipAddress {
    /// The kind of SIP address.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub address_type: Option<SipAddressType>,
    /// The SIP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// Whether this is the person's primary SIP address.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub primary: Option<bool>,
}

/// A postal address of a person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Address {
    /// The kind of address (e.g. `work`).
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub address_type: Option<String>,
    /// The country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The locality, often the city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// The region, often the state.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// The street.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    /// The postal or zip code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
}

/// Query parameters of `GET /people` (List People).
///
/// Non-admin callers must give `email` or `display_name`.
///
/// ```
/// use spark_model::ListPeople;
///
/// let query = ListPeople::new().email("john.andersen@example.com").max(10);
/// assert_eq!(
///     serde_urlencoded::to_string(&query).unwrap(),
///     "email=john.andersen%40example.com&max=10"
/// );
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListPeople {
    /// List people with this email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// List people whose name starts with this string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// List people by ID (up to 85, sent comma-separated); presence is then left out.
    #[serde(
        default,
        with = "crate::common::comma_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub id: Vec<String>,
    /// List people in this organization (partner admins only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// List people with these role IDs (sent comma-separated).
    #[serde(
        default,
        with = "crate::common::comma_list",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub roles: Vec<String>,
    /// Include Webex Calling user details.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub calling_data: Option<bool>,
    /// List people present in this location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// The page size: the most people in one response (not a total).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u32>,
    /// Leave out status and availability, for a faster query.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub exclude_status: Option<bool>,
}

impl ListPeople {
    /// No filter set.
    pub fn new() -> Self {
        Self::default()
    }

    setters! {
        /// Lists people with this email address.
        into email: String;
        /// Lists people whose name starts with this string.
        into display_name: String;
        /// Lists people by ID (up to 85).
        list id: String;
        /// Lists people in this organization.
        into org_id: String;
        /// Lists people with these role IDs.
        list roles: String;
        /// Includes (or not) Webex Calling user details.
        value calling_data: bool;
        /// Lists people present in this location.
        into location_id: String;
        /// Sets the page size (people per response, not a total).
        value max: u32;
        /// Leaves out (or not) status and availability.
        value exclude_status: bool;
    }
}

/// Body of `POST /people` (Create a Person, admins only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatePerson {
    /// The email addresses of the person (only one is allowed).
    #[serde(default)]
    pub emails: Vec<String>,
    /// Phone numbers of the person (Webex Calling license only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_numbers: Option<Vec<PhoneNumber>>,
    /// Webex Calling extension of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// The ID of the location of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// The full name of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The first name of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The last name of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The URL of the person's avatar, in PNG format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// The ID of the organization of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The role IDs of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// The license IDs allocated to the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licenses: Option<Vec<String>>,
    /// The business department of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// A manager identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// The person ID of the manager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_id: Option<String>,
    /// The person's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The person's addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<Address>>,
    /// Site names where the person has an attendee role (`mysite.webex.com#attendee`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_urls: Option<Vec<String>>,
}

impl CreatePerson {
    /// A person with this email address.
    pub fn new(email: impl Into<String>) -> Self {
        Self {
            emails: vec![email.into()],
            ..Self::default()
        }
    }

    setters! {
        /// Sets the phone numbers.
        opt_list phone_numbers: PhoneNumber;
        /// Sets the Webex Calling extension.
        into extension: String;
        /// Sets the location ID.
        into location_id: String;
        /// Sets the full name.
        into display_name: String;
        /// Sets the first name.
        into first_name: String;
        /// Sets the last name.
        into last_name: String;
        /// Sets the avatar URL.
        into avatar: String;
        /// Sets the organization ID.
        into org_id: String;
        /// Sets the role IDs.
        opt_list roles: String;
        /// Sets the license IDs.
        opt_list licenses: String;
        /// Sets the department.
        into department: String;
        /// Sets the manager identifier.
        into manager: String;
        /// Sets the manager's person ID.
        into manager_id: String;
        /// Sets the title.
        into title: String;
        /// Sets the addresses.
        opt_list addresses: Address;
        /// Sets the site URLs.
        opt_list site_urls: String;
    }
}

/// Body of `PUT /people/{personId}` (Update a Person, admins only).
///
/// The update replaces the person: start from the current state with
/// [`UpdatePerson::from_person`] and change what you need.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatePerson {
    /// The email addresses of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub emails: Option<Vec<String>>,
    /// Phone numbers of the person (Webex Calling license only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_numbers: Option<Vec<PhoneNumber>>,
    /// Webex Calling extension of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
    /// The ID of the location of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    /// The full name of the person (required).
    #[serde(default)]
    pub display_name: String,
    /// The first name of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// The last name of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// The nickname of the person (the API sets it to the first name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
    /// The URL of the person's avatar, in PNG format.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// The ID of the organization of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// The role IDs of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub roles: Option<Vec<String>>,
    /// The license IDs allocated to the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licenses: Option<Vec<String>>,
    /// The business department of the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// A manager identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    /// The person ID of the manager.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager_id: Option<String>,
    /// The person's title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The person's addresses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<Address>>,
    /// Site names where the person has a role (`mysite.webex.com#attendee`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub site_urls: Option<Vec<String>>,
    /// Whether the person is allowed to use Webex.
    #[serde(
        default,
        with = "crate::common::opt_bool",
        skip_serializing_if = "Option::is_none"
    )]
    pub login_enabled: Option<bool>,
}

impl UpdatePerson {
    /// An update setting only the (required) display name.
    pub fn new(display_name: impl Into<String>) -> Self {
        Self {
            display_name: display_name.into(),
            ..Self::default()
        }
    }

    /// An update that keeps every settable field of `person` as it is.
    pub fn from_person(person: &Person) -> Self {
        Self {
            emails: person.emails.clone(),
            phone_numbers: person.phone_numbers.clone(),
            extension: person.extension.clone(),
            location_id: person.location_id.clone(),
            display_name: person.display_name.clone().unwrap_or_default(),
            first_name: person.first_name.clone(),
            last_name: person.last_name.clone(),
            nick_name: person.nick_name.clone(),
            avatar: person.avatar.clone(),
            org_id: person.org_id.clone(),
            roles: person.roles.clone(),
            licenses: person.licenses.clone(),
            department: person.department.clone(),
            manager: person.manager.clone(),
            manager_id: person.manager_id.clone(),
            title: person.title.clone(),
            addresses: person.addresses.clone(),
            site_urls: person.site_urls.clone(),
            login_enabled: person.login_enabled,
        }
    }

    setters! {
        /// Sets the email addresses.
        opt_list emails: String;
        /// Sets the phone numbers.
        opt_list phone_numbers: PhoneNumber;
        /// Sets the Webex Calling extension.
        into extension: String;
        /// Sets the location ID.
        into location_id: String;
        /// Sets the first name.
        into first_name: String;
        /// Sets the last name.
        into last_name: String;
        /// Sets the nickname.
        into nick_name: String;
        /// Sets the avatar URL.
        into avatar: String;
        /// Sets the organization ID.
        into org_id: String;
        /// Sets the role IDs.
        opt_list roles: String;
        /// Sets the license IDs.
        opt_list licenses: String;
        /// Sets the department.
        into department: String;
        /// Sets the manager identifier.
        into manager: String;
        /// Sets the manager's person ID.
        into manager_id: String;
        /// Sets the title.
        into title: String;
        /// Sets the addresses.
        opt_list addresses: Address;
        /// Sets the site URLs.
        opt_list site_urls: String;
        /// Allows (or not) the person to use Webex.
        value login_enabled: bool;
    }

    /// Sets the full name.
    #[must_use]
    pub fn display_name(mut self, display_name: impl Into<String>) -> Self {
        self.display_name = display_name.into();
        self
    }
}

impl From<&Person> for UpdatePerson {
    fn from(person: &Person) -> Self {
        Self::from_person(person)
    }
}
