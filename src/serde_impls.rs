//! Serde's `Serialize` and `Deserialize` for memgrade's own types without
//! serde's derive, so a fresh build compiles no proc-macro stack (syn,
//! quote, proc-macro2, serde_derive) for serde. The traits come from
//! `serde`, built without its `derive` feature.
//!
//! `serde_impls!` wraps a type definition written as it would be with the
//! derive and generates the same impls the derive generates for it: the
//! same JSON and TOML, field order = declaration order, and the same error
//! messages (`unknown field`, `missing field`, `duplicate field`, `unknown
//! variant`, `invalid length`, `expected struct X`). The helpers below hold
//! the parts that do not depend on the type.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor,
};

/// Generates `Serialize` and/or `Deserialize` for the type it wraps: a
/// struct with named fields, a newtype struct, or an enum of unit variants
/// (which must be `Copy`). The type is written as for serde's
/// derive: doc comments, an optional `#[derive(...)]` (passed through), then
/// `#[serde(...)]` naming the traits to implement followed by the container
/// options, one of:
///
/// - structs: `Serialize`, `Deserialize` or both, then optionally
///   `deny_unknown_fields` (with `Deserialize`; an unknown key is an error
///   instead of being skipped);
/// - newtypes: `Serialize, Deserialize, transparent` (exactly the inner
///   value, as serde's `transparent`);
/// - unit enums: `Serialize, Deserialize`, then optionally
///   `rename_all = "snake_case"` (`CompileError` is `"compile_error"`).
///
/// A field may carry `#[serde(...)]` after its doc comment with any of:
/// `default` (a missing key is `Default::default()`), `rename = "key"`,
/// `skip_serializing_if = path` (a path, not a string as with the derive:
/// `skip_serializing_if = Vec::is_empty`). A missing `Option` field is
/// `None` even without `default`, as with the derive. Anything else is a
/// compile error ("no rules expected the token").
///
/// ```ignore
/// serde_impls! {
///     /// One test's result.
///     #[derive(Debug, Clone)]
///     #[serde(Serialize, Deserialize, deny_unknown_fields)]
///     pub struct TestGrade {
///         /// Its name.
///         pub name: String,
///         /// Its compiler warnings.
///         #[serde(default, skip_serializing_if = Vec::is_empty)]
///         pub warnings: Vec<String>,
///     }
/// }
/// ```
macro_rules! serde_impls {
    // A struct with named fields.
    (
        $(#[doc = $doc:literal])*
        $(#[derive($($derive:path),* $(,)?)])?
        #[serde($($container:tt)*)]
        $vis:vis struct $name:ident $(<$lt:lifetime>)? {
            $(
                $(#[doc = $fdoc:literal])*
                $(#[serde($($opt:tt)*)])?
                $fvis:vis $field:ident : $fty:ty
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $(#[derive($($derive),*)])?
        $vis struct $name $(<$lt>)? {
            $(
                $(#[doc = $fdoc])*
                $fvis $field: $fty,
            )*
        }
        serde_impls!(@struct [$($container)*] ($name $(<$lt>)?) [$($field [$($($opt)*)?])*]);
    };

    // A newtype struct.
    (
        $(#[doc = $doc:literal])*
        $(#[derive($($derive:path),* $(,)?)])?
        #[serde(Serialize, Deserialize, transparent)]
        $vis:vis struct $name:ident($fvis:vis $inner:ty);
    ) => {
        $(#[doc = $doc])*
        $(#[derive($($derive),*)])?
        $vis struct $name($fvis $inner);

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <$inner as serde::Deserialize<'de>>::deserialize(deserializer).map($name)
            }
        }
    };

    // An enum of unit variants.
    (
        $(#[doc = $doc:literal])*
        $(#[derive($($derive:path),* $(,)?)])?
        #[serde(Serialize, Deserialize $(, rename_all = $rename:tt)?)]
        $vis:vis enum $name:ident {
            $(
                $(#[$vattr:meta])*
                $variant:ident
            ),* $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $(#[derive($($derive),*)])?
        $vis enum $name {
            $(
                $(#[$vattr])*
                $variant,
            )*
        }

        serde_impls!(@enum $name [$($rename)?] [$($variant)*]);
    };

    // The traits a struct asks for.
    (@struct [Serialize, Deserialize] $ty:tt $fields:tt) => {
        serde_impls!(@ser $ty $fields);
        serde_impls!(@de $ty $fields false);
    };
    (@struct [Serialize, Deserialize, deny_unknown_fields] $ty:tt $fields:tt) => {
        serde_impls!(@ser $ty $fields);
        serde_impls!(@de $ty $fields true);
    };
    (@struct [Serialize] $ty:tt $fields:tt) => {
        serde_impls!(@ser $ty $fields);
    };
    (@struct [Deserialize] $ty:tt $fields:tt) => {
        serde_impls!(@de $ty $fields false);
    };
    (@struct [Deserialize, deny_unknown_fields] $ty:tt $fields:tt) => {
        serde_impls!(@de $ty $fields true);
    };

    // Serialize: a struct of the fields in declaration order.
    (@ser ($name:ident $(<$lt:lifetime>)?) [$($field:ident [$($opt:tt)*])*]) => {
        impl $(<$lt>)? serde::Serialize for $name $(<$lt>)? {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeStruct as _;
                let $name { $($field),* } = self;
                let len: usize = [$(serde_impls!(@opt counts [$($opt)*] $field)),*].into_iter().sum();
                let mut state = serializer.serialize_struct(stringify!($name), len)?;
                $(
                    serde_impls!(@opt ser [$($opt)*] state $field serde_impls!(@opt key [$($opt)*] $field));
                )*
                state.end()
            }
        }
    };

    // Deserialize: from a map (keys in any order) or a sequence (fields in
    // declaration order), as the derive.
    (@de ($name:ident) [$($field:ident [$($opt:tt)*])*] $deny:literal) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const FIELDS: &[&str] = &[$(serde_impls!(@opt key [$($opt)*] $field)),*];
                struct StructVisitor;
                impl<'de> serde::de::Visitor<'de> for StructVisitor {
                    type Value = $name;

                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }

                    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<$name, A::Error> {
                        let mut place = $crate::serde_impls::SeqPlace::new(stringify!($name), FIELDS.len());
                        $(
                            let $field = place.next(&mut seq, serde_impls!(@opt default [$($opt)*] $field))?;
                        )*
                        Ok($name { $($field),* })
                    }

                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        $(let mut $field = None;)*
                        let keys = $crate::serde_impls::FieldKey { fields: FIELDS, deny_unknown: $deny };
                        while let Some(key) = map.next_key_seed(keys)? {
                            match key {
                                $(
                                    Some(key) if key == serde_impls!(@opt key [$($opt)*] $field) => {
                                        $crate::serde_impls::fill(&mut map, &mut $field, key)?
                                    }
                                )*
                                _ => {
                                    map.next_value::<serde::de::IgnoredAny>()?;
                                }
                            }
                        }
                        Ok($name {
                            $(
                                $field: $crate::serde_impls::take(
                                    $field,
                                    serde_impls!(@opt key [$($opt)*] $field),
                                    serde_impls!(@opt default [$($opt)*] $field),
                                )?,
                            )*
                        })
                    }
                }
                deserializer.deserialize_struct(stringify!($name), FIELDS, StructVisitor)
            }
        }
    };

    // A unit enum's impls: the variant's name, by its index.
    (@enum $name:ident $rename:tt [$($variant:ident)*]) => {
        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                const VARIANTS: &[&str] = &[$(serde_impls!(@variant $rename $variant)),*];
                let index = *self as usize;
                serializer.serialize_unit_variant(stringify!($name), index as u32, VARIANTS[index])
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                const VARIANTS: &[&str] = &[$(serde_impls!(@variant $rename $variant)),*];
                let index = $crate::serde_impls::unit_variant(deserializer, stringify!($name), VARIANTS)?;
                Ok([$($name::$variant),*][index])
            }
        }
    };

    // A variant's name: as written, or in snake_case.
    (@variant [] $variant:ident) => {
        stringify!($variant)
    };
    (@variant ["snake_case"] $variant:ident) => {{
        const NAME: &str = stringify!($variant);
        const BYTES: [u8; $crate::serde_impls::snake_case_len(NAME)] = $crate::serde_impls::snake_case(NAME);
        match std::str::from_utf8(&BYTES) {
            Ok(name) => name,
            Err(_) => panic!("a variant name is ASCII"),
        }
    }};

    // What a field's options say about one aspect (`key`, `default`,
    // `counts`, `ser`): the option that decides it, else the plain case;
    // any other known option is passed over, an unknown one matches nothing.
    (@opt key [rename = $key:literal $(, $($rest:tt)*)?] $field:ident) => {
        $key
    };
    (@opt default [default $(, $($rest:tt)*)?] $field:ident) => {
        Some(Default::default)
    };
    (@opt counts [skip_serializing_if = $skip:path $(, $($rest:tt)*)?] $field:ident) => {
        usize::from(!$skip($field))
    };
    (@opt ser [skip_serializing_if = $skip:path $(, $($rest:tt)*)?] $state:ident $field:ident $key:expr) => {
        if $skip($field) {
            $state.skip_field($key)?
        } else {
            $state.serialize_field($key, $field)?
        }
    };
    (@opt key [] $field:ident) => {
        stringify!($field)
    };
    (@opt default [] $field:ident) => {
        None
    };
    (@opt counts [] $field:ident) => {
        1usize
    };
    (@opt ser [] $state:ident $field:ident $key:expr) => {
        $state.serialize_field($key, $field)?
    };
    (@opt $aspect:ident [default $(, $($rest:tt)*)?] $($args:tt)*) => {
        serde_impls!(@opt $aspect [$($($rest)*)?] $($args)*)
    };
    (@opt $aspect:ident [rename = $key:literal $(, $($rest:tt)*)?] $($args:tt)*) => {
        serde_impls!(@opt $aspect [$($($rest)*)?] $($args)*)
    };
    (@opt $aspect:ident [skip_serializing_if = $skip:path $(, $($rest:tt)*)?] $($args:tt)*) => {
        serde_impls!(@opt $aspect [$($($rest)*)?] $($args)*)
    };
}

/// Reads a map key as one of `fields` (`Some`), or as an unknown key:
/// `None`, or the derive's `unknown field` error with `deny_unknown`.
#[derive(Clone, Copy)]
pub struct FieldKey {
    /// The struct's keys.
    pub fields: &'static [&'static str],
    /// Whether an unknown key is an error.
    pub deny_unknown: bool,
}

impl<'de> DeserializeSeed<'de> for FieldKey {
    type Value = Option<&'static str>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for FieldKey {
    type Value = Option<&'static str>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("field identifier")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        match self.fields.iter().find(|f| **f == key) {
            Some(field) => Ok(Some(field)),
            None if self.deny_unknown => Err(E::unknown_field(key, self.fields)),
            None => Ok(None),
        }
    }

    fn visit_bytes<E: de::Error>(self, key: &[u8]) -> Result<Self::Value, E> {
        self.visit_str(&String::from_utf8_lossy(key))
    }
}

/// Stores the value of field `key` in `slot`; a second one is the derive's
/// `duplicate field` error.
pub fn fill<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    key: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(key));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A field's value after the whole map: the one read, else its `default`,
/// else what serde makes of a missing field (`None` for an `Option`, the
/// `missing field` error for anything else).
pub fn take<'de, T: Deserialize<'de>, E: de::Error>(
    value: Option<T>,
    key: &'static str,
    default: Option<fn() -> T>,
) -> Result<T, E> {
    match (value, default) {
        (Some(value), _) => Ok(value),
        (None, Some(default)) => Ok(default()),
        (None, None) => T::deserialize(MissingField(key, PhantomData)),
    }
}

/// The deserializer of a missing field, as serde's own: `None` to an
/// `Option`, `missing field` to anything else.
struct MissingField<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for MissingField<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(E::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// Where a struct read from a sequence is: the next field's index, and
/// what the `invalid length` error says was expected
/// (`struct State with 3 elements`).
pub struct SeqPlace {
    name: &'static str,
    len: usize,
    index: usize,
}

impl SeqPlace {
    /// At the first of `len` fields of struct `name`.
    pub fn new(name: &'static str, len: usize) -> SeqPlace {
        SeqPlace {
            name,
            len,
            index: 0,
        }
    }

    /// The next field: the next element, else its `default`, else the
    /// `invalid length` error.
    pub fn next<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(
        &mut self,
        seq: &mut A,
        default: Option<fn() -> T>,
    ) -> Result<T, A::Error> {
        let value = match (seq.next_element()?, default) {
            (Some(value), _) => value,
            (None, Some(default)) => default(),
            (None, None) => return Err(de::Error::invalid_length(self.index, self)),
        };
        self.index += 1;
        Ok(value)
    }
}

impl de::Expected for SeqPlace {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let plural = if self.len == 1 { "" } else { "s" };
        write!(f, "struct {} with {} element{plural}", self.name, self.len)
    }
}

/// Reads a unit variant of enum `name` as its index in `variants`.
pub fn unit_variant<'de, D: Deserializer<'de>>(
    deserializer: D,
    name: &'static str,
    variants: &'static [&'static str],
) -> Result<usize, D::Error> {
    deserializer.deserialize_enum(name, variants, UnitEnum { name, variants })
}

/// The visitor of an enum of unit variants (also the seed of its variant
/// name).
#[derive(Clone, Copy)]
struct UnitEnum {
    name: &'static str,
    variants: &'static [&'static str],
}

impl<'de> Visitor<'de> for UnitEnum {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "enum {}", self.name)
    }

    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<usize, A::Error> {
        let (index, variant) = data.variant_seed(VariantName(self.variants))?;
        variant.unit_variant()?;
        Ok(index)
    }
}

/// Reads a variant name as its index; an unknown one is the derive's
/// `unknown variant` error.
struct VariantName(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for VariantName {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<usize, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl<'de> Visitor<'de> for VariantName {
    type Value = usize;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("variant identifier")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<usize, E> {
        self.0
            .iter()
            .position(|v| *v == name)
            .ok_or_else(|| E::unknown_variant(name, self.0))
    }

    fn visit_bytes<E: de::Error>(self, name: &[u8]) -> Result<usize, E> {
        self.visit_str(&String::from_utf8_lossy(name))
    }
}

/// The length of `name` (ASCII, CamelCase) in snake_case.
pub const fn snake_case_len(name: &str) -> usize {
    let bytes = name.as_bytes();
    let mut len = bytes.len();
    let mut i = 1;
    while i < bytes.len() {
        if bytes[i].is_ascii_uppercase() {
            len += 1;
        }
        i += 1;
    }
    len
}

/// `name` (ASCII, CamelCase) in snake_case as serde's `rename_all`
/// spells it: `_` before every uppercase letter but the first, all
/// lowercase. `N` is [`snake_case_len`] of `name`.
pub const fn snake_case<const N: usize>(name: &str) -> [u8; N] {
    let bytes = name.as_bytes();
    let mut out = [0u8; N];
    let (mut i, mut o) = (0, 0);
    while i < bytes.len() {
        if i > 0 && bytes[i].is_ascii_uppercase() {
            out[o] = b'_';
            o += 1;
        }
        out[o] = bytes[i].to_ascii_lowercase();
        o += 1;
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    serde_impls! {
        /// Every field option on one struct.
        #[derive(Debug, PartialEq)]
        #[serde(Serialize, Deserialize)]
        struct Sample {
            plain: u32,
            #[serde(default)]
            counted: u32,
            #[serde(rename = "renamed-key")]
            renamed: String,
            #[serde(default, skip_serializing_if = Vec::is_empty)]
            list: Vec<u8>,
            maybe: Option<u8>,
        }
    }

    serde_impls! {
        #[derive(Debug, PartialEq)]
        #[serde(Serialize, Deserialize, deny_unknown_fields)]
        struct Strict {
            first: u8,
            second: u8,
        }
    }

    serde_impls! {
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[serde(Serialize, Deserialize, rename_all = "snake_case")]
        enum Kind {
            One,
            TwoWords,
            ThreeLongWords,
        }
    }

    serde_impls! {
        #[derive(Debug, Clone, Copy, PartialEq)]
        #[serde(Serialize, Deserialize)]
        enum AsWritten {
            TwoWords,
        }
    }

    serde_impls! {
        #[derive(Debug, PartialEq)]
        #[serde(Serialize, Deserialize, transparent)]
        struct Wrapped(Vec<u8>);
    }

    fn sample(list: Vec<u8>) -> Sample {
        Sample {
            plain: 1,
            counted: 2,
            renamed: "x".into(),
            list,
            maybe: None,
        }
    }

    fn error<T: for<'de> serde::Deserialize<'de> + std::fmt::Debug>(json: &str) -> String {
        serde_json::from_str::<T>(json).unwrap_err().to_string()
    }

    #[test]
    fn fields_are_written_in_declaration_order_renamed_and_skipped() {
        assert_eq!(
            serde_json::to_string(&sample(vec![])).unwrap(),
            r#"{"plain":1,"counted":2,"renamed-key":"x","maybe":null}"#
        );
        assert_eq!(
            serde_json::to_string(&sample(vec![3])).unwrap(),
            r#"{"plain":1,"counted":2,"renamed-key":"x","list":[3],"maybe":null}"#
        );
    }

    #[test]
    fn a_written_struct_reads_back() {
        for value in [sample(vec![]), sample(vec![3, 4])] {
            let json = serde_json::to_string(&value).unwrap();
            assert_eq!(serde_json::from_str::<Sample>(&json).unwrap(), value);
        }
        let strict = Strict {
            first: 1,
            second: 2,
        };
        let json = serde_json::to_string(&strict).unwrap();
        assert_eq!(json, r#"{"first":1,"second":2}"#);
        assert_eq!(serde_json::from_str::<Strict>(&json).unwrap(), strict);
    }

    #[test]
    fn missing_defaults_and_options_are_filled_and_unknown_keys_skipped() {
        let read: Sample =
            serde_json::from_str(r#"{"renamed-key":"x","other":[1],"plain":1}"#).unwrap();
        assert_eq!(
            read,
            Sample {
                counted: 0,
                ..sample(vec![])
            }
        );
    }

    #[test]
    fn field_errors_read_as_the_derive_s() {
        assert_eq!(
            error::<Sample>(r#"{"plain":1}"#),
            "missing field `renamed-key` at line 1 column 11"
        );
        assert_eq!(
            error::<Sample>(r#"{"plain":1,"plain":2}"#),
            "duplicate field `plain` at line 1 column 18"
        );
        assert_eq!(
            error::<Strict>(r#"{"first":1,"third":2}"#),
            "unknown field `third`, expected `first` or `second` at line 1 column 18"
        );
        assert_eq!(
            error::<Sample>("5"),
            "invalid type: integer `5`, expected struct Sample at line 1 column 1"
        );
    }

    #[test]
    fn a_sequence_fills_fields_in_order() {
        let read: Sample = serde_json::from_str(r#"[1,2,"x",[3],null]"#).unwrap();
        assert_eq!(read, sample(vec![3]));
        assert_eq!(
            error::<Sample>(r#"[1,2,"x"]"#),
            "invalid length 4, expected struct Sample with 5 elements at line 1 column 9"
        );
        assert_eq!(
            error::<Strict>("[1]"),
            "invalid length 1, expected struct Strict with 2 elements at line 1 column 3"
        );
    }

    #[test]
    fn unit_variants_are_snake_case_names() {
        assert_eq!(
            serde_json::to_string(&[Kind::One, Kind::TwoWords, Kind::ThreeLongWords]).unwrap(),
            r#"["one","two_words","three_long_words"]"#
        );
        assert_eq!(
            serde_json::from_str::<Kind>(r#""three_long_words""#).unwrap(),
            Kind::ThreeLongWords
        );
        assert_eq!(
            error::<Kind>(r#""TwoWords""#),
            "unknown variant `TwoWords`, expected one of `one`, `two_words`, `three_long_words` at line 1 column 10"
        );
        assert_eq!(
            error::<Kind>(r#"{"one": 1}"#),
            "invalid type: integer `1`, expected unit at line 1 column 9"
        );
        assert_eq!(
            serde_json::to_string(&AsWritten::TwoWords).unwrap(),
            r#""TwoWords""#
        );
    }

    #[test]
    fn a_transparent_newtype_is_its_inner_value() {
        assert_eq!(
            serde_json::to_string(&Wrapped(vec![1, 2])).unwrap(),
            "[1,2]"
        );
        assert_eq!(
            serde_json::from_str::<Wrapped>("[1,2]").unwrap(),
            Wrapped(vec![1, 2])
        );
    }

    #[test]
    fn toml_errors_point_at_the_key_and_the_table() {
        let unknown = toml::from_str::<Strict>("first = 1\nthird = 2\n").unwrap_err();
        assert_eq!(unknown.span(), Some(10..15), "{unknown}");
        assert!(
            unknown
                .message()
                .starts_with("unknown field `third`, expected `first` or `second`"),
            "{unknown}"
        );
        let missing = toml::from_str::<Strict>("first = 1\n").unwrap_err();
        assert_eq!(missing.span(), Some(0..0), "{missing}");
        assert_eq!(missing.message(), "missing field `second`");
    }
}
