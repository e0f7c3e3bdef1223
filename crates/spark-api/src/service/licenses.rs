//! `/licenses`: Licenses (read only).

use spark_model::{License, ListLicenses};

use super::{get_op, list_op, service};

service!(
    /// Licenses (read only).
    Licenses,
    "licenses"
);
list_op!(Licenses, "licenses", ListLicenses, License);
get_op!(Licenses, "licenses", License);
