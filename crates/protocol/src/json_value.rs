//! Opaque JSON carried through untouched: custom fields, `additionalData`, an error's `data`.
//!
//! The serde impls are written out instead of `#[serde(untagged)]`: an untagged enum is read by
//! buffering the input and trying each variant in turn, which costs kilobytes of wasm for a value
//! the client never looks into. Objects keep their keys in the order given, as `JSON.stringify`
//! would write them.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
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

impl<'de> Deserialize<'de> for JsonValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

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
        Ok(i64::try_from(n).map_or(JsonValue::Float(FloatBits(n as f64)), JsonValue::Int))
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
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(JsonValue::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<JsonValue, A::Error> {
        let mut members = Vec::new();
        while let Some(entry) = map.next_entry()? {
            members.push(entry);
        }
        Ok(JsonValue::Object(members))
    }
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
}
