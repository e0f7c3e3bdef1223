//! The macro behind the chained by-value setters of the request types.
//!
//! Each entry is `kind field: Type;` with its doc comment; the kinds are:
//! - `into`: the field is `Option<Type>` and the setter takes `impl Into<Type>`;
//! - `value`: the field is `Option<Type>` and the setter takes `Type` (numbers, booleans, enums
//!   that have no literal form);
//! - `list`: the field is `Vec<Type>` and the setter takes any iterator of `impl Into<Type>`;
//! - `opt_list`: the field is `Option<Vec<Type>>`, same setter as `list`.

macro_rules! setters {
    ($( $(#[$doc:meta])* $kind:ident $field:ident : $ty:ty; )*) => {
        $( $crate::builder::setters!(@one $kind [$(#[$doc])*] $field $ty); )*
    };
    (@one into [$(#[$doc:meta])*] $field:ident $ty:ty) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field(mut self, value: impl Into<$ty>) -> Self {
            self.$field = Some(value.into());
            self
        }
    };
    (@one value [$(#[$doc:meta])*] $field:ident $ty:ty) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field(mut self, value: $ty) -> Self {
            self.$field = Some(value);
            self
        }
    };
    (@one list [$(#[$doc:meta])*] $field:ident $ty:ty) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field<I, V>(mut self, values: I) -> Self
        where
            I: IntoIterator<Item = V>,
            V: Into<$ty>,
        {
            self.$field = values.into_iter().map(Into::into).collect();
            self
        }
    };
    (@one opt_list [$(#[$doc:meta])*] $field:ident $ty:ty) => {
        $(#[$doc])*
        #[must_use]
        pub fn $field<I, V>(mut self, values: I) -> Self
        where
            I: IntoIterator<Item = V>,
            V: Into<$ty>,
        {
            self.$field = Some(values.into_iter().map(Into::into).collect());
            self
        }
    };
}

pub(crate) use setters;
