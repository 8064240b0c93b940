//! Lenient serde helpers for Perl's loose typing in PVE responses (PVE-API.md §3.2).
//!
//! Perl decides a scalar's JSON type by how it was last used, so an integer may arrive as
//! `102` or `"102"`, a float as `"0.05"`, a boolean as `1`, `"1"`, `""`, `true` or not at all.
//! Use these with `#[serde(deserialize_with = "…", default)]`; `default` makes an absent
//! boolean `false` and an absent optional `None`.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// Any scalar Perl may have produced.
enum Scalar {
    Null,
    Bool(bool),
    Int(i128),
    Float(f64),
    Str(String),
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, a boolean, a string or null")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar, E> {
        Ok(Scalar::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Scalar, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar::Int(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar::Float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar::Str(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Scalar, E> {
        Ok(Scalar::Str(v))
    }
}

fn scalar<'de, D: Deserializer<'de>>(d: D) -> Result<Scalar, D::Error> {
    d.deserialize_any(ScalarVisitor)
}

fn to_int<T: TryFrom<i128>, E: de::Error>(s: Scalar) -> Result<Option<T>, E> {
    let wide = match s {
        Scalar::Null => return Ok(None),
        Scalar::Int(i) => i,
        Scalar::Bool(b) => i128::from(b),
        // Whole floats only: `2.0` is 2, `2.5` is not an integer.
        Scalar::Float(f) if f.fract() == 0.0 && f.abs() < 1e30 => f as i128,
        Scalar::Float(f) => return Err(E::custom(format!("expected an integer, got {f}"))),
        Scalar::Str(s) => {
            let t = s.trim();
            if t.is_empty() {
                return Ok(None);
            }
            match t.parse::<i128>() {
                Ok(i) => i,
                Err(_) => match t.parse::<f64>() {
                    Ok(f) if f.fract() == 0.0 && f.abs() < 1e30 => f as i128,
                    _ => return Err(E::custom(format!("expected an integer, got {s:?}"))),
                },
            }
        }
    };
    T::try_from(wide)
        .map(Some)
        .map_err(|_| E::custom(format!("integer {wide} out of range")))
}

fn to_float<E: de::Error>(s: Scalar) -> Result<Option<f64>, E> {
    match s {
        Scalar::Null => Ok(None),
        Scalar::Int(i) => Ok(Some(i as f64)),
        Scalar::Float(f) => Ok(Some(f)),
        Scalar::Bool(b) => Ok(Some(if b { 1.0 } else { 0.0 })),
        Scalar::Str(s) if s.trim().is_empty() => Ok(None),
        Scalar::Str(s) => s
            .trim()
            .parse::<f64>()
            .map(Some)
            .map_err(|_| E::custom(format!("expected a number, got {s:?}"))),
    }
}

fn to_bool<E: de::Error>(s: Scalar) -> Result<bool, E> {
    match s {
        Scalar::Null => Ok(false),
        Scalar::Bool(b) => Ok(b),
        Scalar::Int(i) => Ok(i != 0),
        Scalar::Float(f) => Ok(f != 0.0),
        Scalar::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
            "" | "0" | "false" | "no" | "off" => Ok(false),
            "1" | "true" | "yes" | "on" => Ok(true),
            _ => Err(E::custom(format!("expected a boolean, got {s:?}"))),
        },
    }
}

/// An integer given as a number or a numeric string; `null` and `""` are an error.
pub fn int<'de, D: Deserializer<'de>, T: TryFrom<i128>>(d: D) -> Result<T, D::Error> {
    to_int(scalar(d)?)?.ok_or_else(|| de::Error::custom("expected an integer, got nothing"))
}

/// An optional integer: `null` and `""` become `None`.
pub fn opt_int<'de, D: Deserializer<'de>, T: TryFrom<i128>>(d: D) -> Result<Option<T>, D::Error> {
    to_int(scalar(d)?)
}

/// A float given as a number or a numeric string.
pub fn float<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    to_float(scalar(d)?)?.ok_or_else(|| de::Error::custom("expected a number, got nothing"))
}

/// An optional float: `null` and `""` become `None`.
pub fn opt_float<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    to_float(scalar(d)?)
}

/// A boolean as Perl writes it: `1`/`0`, `"1"`/`""`, `true`/`false`, `"yes"`/`"on"`…;
/// `null` is false. Pair with `#[serde(default)]` so that an absent key is false too.
pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    to_bool(scalar(d)?)
}

/// A string that Perl may have turned into a number (e.g. a vmid used as a name).
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match scalar(d)? {
        Scalar::Str(s) => Ok(s),
        Scalar::Int(i) => Ok(i.to_string()),
        Scalar::Float(f) => Ok(f.to_string()),
        Scalar::Bool(b) => Ok(if b { "1" } else { "" }.to_owned()),
        Scalar::Null => Ok(String::new()),
    }
}

/// A list of floats, each a number or a numeric string (`loadavg: ["0.05","0.12","0.10"]`).
pub fn float_list<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
    struct Floats;
    impl<'de> Visitor<'de> for Floats {
        type Value = Vec<f64>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a list of numbers")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Vec<f64>, E> {
            Ok(Vec::new())
        }
        fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<f64>, A::Error> {
            let mut out = Vec::new();
            while let Some(v) = seq.next_element::<Lenient<f64>>()? {
                out.push(v.0);
            }
            Ok(out)
        }
    }
    d.deserialize_any(Floats)
}

/// A value decoded leniently; lets a helper read elements of a sequence.
struct Lenient<T>(T);

impl<'de> serde::Deserialize<'de> for Lenient<f64> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        float(d).map(Lenient)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Sample {
        #[serde(deserialize_with = "super::int")]
        vmid: u32,
        #[serde(default, deserialize_with = "super::opt_int")]
        maxmem: Option<u64>,
        #[serde(default, deserialize_with = "super::boolean")]
        template: bool,
        #[serde(default, deserialize_with = "super::opt_float")]
        cpus: Option<f64>,
        #[serde(default, deserialize_with = "super::float_list")]
        loadavg: Vec<f64>,
    }

    fn parse(json: &str) -> Result<Sample, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn integers_as_numbers_or_strings() {
        assert_eq!(parse(r#"{"vmid":100}"#).unwrap().vmid, 100);
        assert_eq!(parse(r#"{"vmid":"102"}"#).unwrap().vmid, 102);
        assert_eq!(
            parse(r#"{"vmid":"100","maxmem":"536870912"}"#)
                .unwrap()
                .maxmem,
            Some(536_870_912)
        );
        assert_eq!(parse(r#"{"vmid":100.0}"#).unwrap().vmid, 100);
        assert!(parse(r#"{"vmid":"abc"}"#).is_err());
        assert!(parse(r#"{"vmid":1.5}"#).is_err());
        assert!(parse(r#"{"vmid":-1}"#).is_err(), "out of range for u32");
        assert_eq!(parse(r#"{"vmid":1,"maxmem":null}"#).unwrap().maxmem, None);
        assert_eq!(parse(r#"{"vmid":1,"maxmem":""}"#).unwrap().maxmem, None);
    }

    #[test]
    fn booleans_in_every_perl_spelling() {
        for (raw, want) in [
            ("1", true),
            ("0", false),
            (r#""1""#, true),
            (r#""""#, false),
            (r#""0""#, false),
            ("true", true),
            ("false", false),
            (r#""yes""#, true),
            (r#""Off""#, false),
            ("null", false),
        ] {
            let s = parse(&format!(r#"{{"vmid":1,"template":{raw}}}"#)).unwrap();
            assert_eq!(s.template, want, "template={raw}");
        }
        assert!(!parse(r#"{"vmid":1}"#).unwrap().template, "absent is false");
        assert!(parse(r#"{"vmid":1,"template":"maybe"}"#).is_err());
    }

    #[test]
    fn floats_and_float_lists_from_strings() {
        let s = parse(r#"{"vmid":1,"cpus":"1.5","loadavg":["0.05","0.12",0.10]}"#).unwrap();
        assert_eq!(s.cpus, Some(1.5));
        assert_eq!(s.loadavg, vec![0.05, 0.12, 0.10]);
        assert_eq!(parse(r#"{"vmid":1,"cpus":2}"#).unwrap().cpus, Some(2.0));
    }
}
