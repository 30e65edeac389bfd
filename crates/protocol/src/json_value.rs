//! Opaque JSON carried through untouched: custom fields, `additionalData`, an error's `data`.
//!
//! The serde impls are written out instead of `#[serde(untagged)]`: an untagged enum is read by
//! buffering the input and trying each variant in turn, which costs kilobytes of wasm for a value
//! the client never looks into. Objects keep their keys in the order given, as `JSON.stringify`
//! would write them.
//!
//! Reading is bounded in depth ([`MAX_DEPTH`]): serde_json stops at 128 levels on its own, but a
//! JS object read through serde-wasm-bindgen has no limit, and one that refers to itself would be
//! followed until the stack overflows. Deeper input is an error, never a recursion without end.

use std::fmt;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Any JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonValue {
    Null,
    Bool(bool),
    Int(i64),
    Float(FloatBits),
    String(String),
    Array(Vec<JsonValue>),
    /// Members in their given order; a repeated key is kept as given (JSON does not forbid it).
    Object(Vec<(String, JsonValue)>),
}

impl JsonValue {
    /// The member `key` of an object (the first, if repeated); `None` for a missing member or
    /// anything but an object.
    pub fn get(&self, key: &str) -> Option<&JsonValue> {
        match self {
            JsonValue::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string; `None` for anything else.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            JsonValue::String(s) => Some(s),
            _ => None,
        }
    }

    /// The text of the string member `key` (see [`Self::get`]).
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(JsonValue::as_str)
    }

    /// The member `key` as a whole number from 0 to `i64::MAX` (how a JS number reads when it is a
    /// safe integer); `None` when missing, negative, fractional or not a number.
    pub fn u64_at(&self, key: &str) -> Option<u64> {
        match self.get(key) {
            Some(JsonValue::Int(n)) => u64::try_from(*n).ok(),
            _ => None,
        }
    }

    /// The member `key` as text, `""` when it is missing; `None` when it is there but no string
    /// (a member with a default, which must still have the right type when given).
    pub fn str_or_empty(&self, key: &str) -> Option<&str> {
        match self.get(key) {
            None => Some(""),
            Some(v) => v.as_str(),
        }
    }

    /// The items of an array; none for anything else.
    pub fn items(&self) -> &[JsonValue] {
        match self {
            JsonValue::Array(items) => items,
            _ => &[],
        }
    }
}

/// What the client writes as JSON (request bodies, stored values), built by hand as a
/// [`JsonValue`]: the client then serialises one type, so no per-type serializer ships in the
/// wasm module. Each implementation is tested to write what the type's serde form writes.
pub trait ToJson {
    fn to_json(&self) -> JsonValue;
}

impl JsonValue {
    /// An object of the members given as `Some`, in order (`None` leaves a member out, as
    /// `skip_serializing_if` does).
    pub fn object<const N: usize>(members: [(&str, Option<JsonValue>); N]) -> JsonValue {
        JsonValue::Object(members.into_iter().filter_map(|(k, v)| Some((k.to_owned(), v?))).collect())
    }
}

impl From<&str> for JsonValue {
    fn from(s: &str) -> Self {
        JsonValue::String(s.to_owned())
    }
}

impl From<u64> for JsonValue {
    fn from(n: u64) -> Self {
        i64::try_from(n).map_or(JsonValue::Float(FloatBits(n as f64)), JsonValue::Int)
    }
}

impl From<bool> for JsonValue {
    fn from(b: bool) -> Self {
        JsonValue::Bool(b)
    }
}

/// `Some(text)`: a member that is always written.
pub fn text(s: &str) -> Option<JsonValue> {
    Some(s.into())
}

/// A member written only when `s` is `Some`.
pub fn opt_text(s: Option<&str>) -> Option<JsonValue> {
    s.map(JsonValue::from)
}

/// Asserts that `value` builds the JSON its serde form writes, member order included.
#[cfg(test)]
pub(crate) fn assert_same_json<T: Serialize + ToJson + fmt::Debug>(value: &T) {
    let built = serde_json::to_string(&value.to_json()).unwrap();
    assert_eq!(built, serde_json::to_string(value).unwrap(), "{value:?}");
}

/// A float kept as written (f64 is not `Eq`); only ever passed through.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FloatBits(pub f64);
impl Eq for FloatBits {}

impl Serialize for JsonValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            JsonValue::Null => s.serialize_unit(),
            JsonValue::Bool(b) => s.serialize_bool(*b),
            JsonValue::Int(n) => s.serialize_i64(*n),
            JsonValue::Float(f) => s.serialize_f64(f.0),
            JsonValue::String(v) => s.serialize_str(v),
            JsonValue::Array(items) => s.collect_seq(items),
            JsonValue::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// How many arrays and objects a [`JsonValue`] may nest when read.
pub const MAX_DEPTH: u32 = 32;

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor { depth: 0 })
    }
}

/// Reads one value `depth` arrays/objects down.
struct ValueVisitor {
    depth: u32,
}

impl ValueVisitor {
    /// The visitor of this value's members, or an error when they would be too deep.
    fn inner<E: de::Error>(&self) -> Result<ValueVisitor, E> {
        if self.depth >= MAX_DEPTH {
            return Err(E::custom("JSON nested too deeply"));
        }
        Ok(ValueVisitor { depth: self.depth + 1 })
    }
}

impl<'de> DeserializeSeed<'de> for ValueVisitor {
    type Value = JsonValue;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<JsonValue, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = JsonValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON")
    }
    fn visit_unit<E: de::Error>(self) -> Result<JsonValue, E> {
        Ok(JsonValue::Null)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<JsonValue, E> {
        Ok(JsonValue::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, n: i64) -> Result<JsonValue, E> {
        Ok(JsonValue::Int(n))
    }
    fn visit_u64<E: de::Error>(self, n: u64) -> Result<JsonValue, E> {
        // Above i64::MAX only as a float, as JavaScript would hold it anyway.
        Ok(n.into())
    }
    fn visit_f64<E: de::Error>(self, n: f64) -> Result<JsonValue, E> {
        Ok(JsonValue::Float(FloatBits(n)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<JsonValue, E> {
        Ok(JsonValue::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<JsonValue, E> {
        Ok(JsonValue::String(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<JsonValue, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(self.inner()?)? {
            items.push(v);
        }
        Ok(JsonValue::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut members = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            members.push((key, map.next_value_seed(self.inner()?)?));
        }
        Ok(JsonValue::Object(members))
    }
}

/// The deepest nesting of `[` and `{` outside strings in JSON text, counted up to `limit + 1`:
/// a bound to check before handing text to a parser, not a validation.
pub fn nesting(text: &str, limit: usize) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let (mut in_string, mut escaped) = (false, false);
    for b in text.bytes() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
                if deepest > limit {
                    break;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_kind_keeping_key_order() {
        let text = r#"{"z":1,"a":[true,null,-2,1.5,"s",{}],"m":{"b":[],"a":18446744073709551615}}"#;
        let v: JsonValue = serde_json::from_str(text).unwrap();
        let JsonValue::Object(members) = &v else { panic!("{v:?}") };
        assert_eq!(members.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(), ["z", "a", "m"]);
        assert_eq!(serde_json::to_string(&v).unwrap(), text.replace("18446744073709551615", "1.8446744073709552e+19"));
        assert!(serde_json::from_str::<JsonValue>("[1,").is_err());
    }

    #[test]
    fn members_strings_and_items_are_read_by_shape() {
        let v: JsonValue = serde_json::from_str(r#"{"a":"x","a":"y","n":1,"l":[1,"s"],"o":{"b":"c"}}"#).unwrap();
        assert_eq!(v.str_at("a"), Some("x"), "the first of a repeated key");
        assert_eq!(v.str_at("n"), None, "a number is not a string");
        assert_eq!(v.get("o").and_then(|o| o.str_at("b")), Some("c"));
        assert_eq!(v.get("l").map(|l| l.items().len()), Some(2));
        assert!(v.get("o").unwrap().items().is_empty() && v.get("missing").is_none());
        assert_eq!(JsonValue::String("s".into()).get("a"), None);
        let n: JsonValue = serde_json::from_str(r#"{"u":7,"neg":-1,"f":1.5,"s":"7","e":"","z":0}"#).unwrap();
        assert_eq!((n.u64_at("u"), n.u64_at("z")), (Some(7), Some(0)));
        assert_eq!((n.u64_at("neg"), n.u64_at("f"), n.u64_at("s"), n.u64_at("missing")), (None, None, None, None));
        assert_eq!((n.str_or_empty("s"), n.str_or_empty("missing"), n.str_or_empty("u")), (Some("7"), Some(""), None));
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH as usize), "]".repeat(MAX_DEPTH as usize));
        assert!(serde_json::from_str::<JsonValue>(&ok).is_ok());
        let deep = format!("{}{}", "[".repeat(MAX_DEPTH as usize + 1), "]".repeat(MAX_DEPTH as usize + 1));
        assert!(serde_json::from_str::<JsonValue>(&deep).is_err());
        let deep_object = format!("{}1{}", r#"{"a":"#.repeat(MAX_DEPTH as usize + 1), "}".repeat(MAX_DEPTH as usize + 1));
        assert!(serde_json::from_str::<JsonValue>(&deep_object).is_err());
    }

    #[test]
    fn text_nesting_counts_outside_strings_up_to_the_limit() {
        assert_eq!(nesting(r#"{"a":[1,{"b":"[[[{{"}],"c":"\"[" }"#, 128), 3);
        assert_eq!(nesting("", 128), 0);
        let at_limit = ["[".repeat(128), "]".repeat(128)].concat();
        assert_eq!(nesting(&at_limit, 128), 128);
        assert_eq!(nesting(&["{\"a\":".repeat(100_000), "1".into()].concat(), 128), 129);
    }
}
