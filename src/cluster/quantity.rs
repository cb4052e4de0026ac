//! Kubernetes resource quantities (`500m`, `1`, `0.5`, `250000n`, `2Gi`, `1e3`): parsed
//! exactly, to compare them by value (the API server stores `0.5` as `500m`, so a string
//! comparison would call a request that already holds a change), as plain numbers (cores for
//! CPU, bytes for memory), and written back in the short forms kubectl shows.

use std::cmp::Ordering;

/// A quantity as the exact rational `num / den`.
#[derive(Debug, Clone, Copy)]
pub struct Quantity {
    num: i128,
    den: i128,
}

impl Quantity {
    /// Parses a quantity; `None` if `s` is not one.
    pub fn parse(s: &str) -> Option<Quantity> {
        let s = s.trim();
        let (sign, body) = match s.strip_prefix('-') {
            Some(rest) => (-1, rest),
            None => (1, s.strip_prefix('+').unwrap_or(s)),
        };
        let digits_end = body.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(body.len());
        let (number, suffix) = body.split_at(digits_end);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return None;
        }
        let (int_part, frac_part) = number.split_once('.').unwrap_or((number, ""));
        let mut num: i128 = format!("{int_part}{frac_part}").parse().ok()?;
        let mut den: i128 = 10i128.checked_pow(u32::try_from(frac_part.len()).ok()?)?;
        let pow = |base: i128, exp: u32| base.checked_pow(exp);
        let (mul, div) = match suffix {
            "" => (1, 1),
            "n" => (1, pow(10, 9)?),
            "u" => (1, pow(10, 6)?),
            "m" => (1, 1000),
            "k" => (pow(10, 3)?, 1),
            "M" => (pow(10, 6)?, 1),
            "G" => (pow(10, 9)?, 1),
            "T" => (pow(10, 12)?, 1),
            "P" => (pow(10, 15)?, 1),
            "E" => (pow(10, 18)?, 1),
            "Ki" => (pow(2, 10)?, 1),
            "Mi" => (pow(2, 20)?, 1),
            "Gi" => (pow(2, 30)?, 1),
            "Ti" => (pow(2, 40)?, 1),
            "Pi" => (pow(2, 50)?, 1),
            "Ei" => (pow(2, 60)?, 1),
            other => {
                let exp = other.strip_prefix(['e', 'E'])?;
                let e: i32 = exp.parse().ok()?;
                if e >= 0 {
                    (pow(10, e.unsigned_abs())?, 1)
                } else {
                    (1, pow(10, e.unsigned_abs())?)
                }
            }
        };
        num = num.checked_mul(mul)?.checked_mul(sign)?;
        den = den.checked_mul(div)?;
        Some(Quantity { num, den })
    }

    /// The amount as a plain number (cores for CPU, bytes for memory).
    pub fn to_f64(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    fn cmp_value(&self, other: &Quantity) -> Option<Ordering> {
        let a = self.num.checked_mul(other.den)?;
        let b = other.num.checked_mul(self.den)?;
        Some(a.cmp(&b))
    }
}

/// A quantity string's amount as a plain number (cores for CPU, bytes for memory); `None`
/// if it is not a quantity.
pub fn value(q: &str) -> Option<f64> {
    Quantity::parse(q).map(Quantity::to_f64)
}

/// Cores as kubectl would write them, to the nearest millicore: `250m`, `2`.
pub fn cpu(cores: f64) -> String {
    let milli = (cores * 1000.0).round() as i64;
    if milli % 1000 == 0 && milli > 0 {
        format!("{}", milli / 1000)
    } else {
        format!("{milli}m")
    }
}

/// Bytes as a binary quantity, rounded up to a whole Mi: `128Mi`, `2Gi`.
pub fn memory(bytes: f64) -> String {
    let mi = bytes / (1024.0 * 1024.0);
    if mi >= 1024.0 && (mi / 1024.0).fract() == 0.0 {
        format!("{}Gi", (mi / 1024.0) as i64)
    } else {
        format!("{}Mi", mi.ceil() as i64)
    }
}

/// Whether two quantity strings stand for the same amount (string equality when either
/// does not parse).
pub fn same(a: &str, b: &str) -> bool {
    match (Quantity::parse(a), Quantity::parse(b)) {
        (Some(x), Some(y)) => x.cmp_value(&y) == Some(Ordering::Equal),
        _ => a == b,
    }
}

/// `a > b`, when both parse.
pub fn greater(a: &str, b: &str) -> bool {
    matches!((Quantity::parse(a), Quantity::parse(b)), (Some(x), Some(y)) if x.cmp_value(&y) == Some(Ordering::Greater))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_amounts_written_differently_are_the_same() {
        assert!(same("0.5", "500m"));
        assert!(same("1", "1000m"));
        assert!(same("1Gi", "1024Mi"));
        assert!(same("1k", "1e3"));
        assert!(same("2G", "2000M"));
        assert!(!same("1G", "1Gi"));
        assert!(!same("100m", "1"));
        assert!(same("weird", "weird"));
    }

    #[test]
    fn orders_quantities() {
        assert!(greater("2", "1500m"));
        assert!(greater("4Gi", "2Gi"));
        assert!(!greater("512Mi", "1Gi"));
        assert!(!greater("x", "1"));
    }

    #[test]
    fn rejects_what_is_not_a_quantity() {
        for s in ["", "m", "1.2.3", "lots", "1Xi", "1e", "."] {
            assert!(Quantity::parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn values_of_the_forms_the_api_server_returns() {
        assert_eq!(value("100m"), Some(0.1));
        assert_eq!(value("2"), Some(2.0));
        assert_eq!(value("1.5"), Some(1.5));
        assert!((value("250000n").unwrap() - 0.00025).abs() < 1e-12);
        assert!((value("25000u").unwrap() - 0.025).abs() < 1e-12);
        assert_eq!(value("128Mi"), Some(134_217_728.0));
        assert_eq!(value("1Gi"), Some(1_073_741_824.0));
        assert_eq!(value("1G"), Some(1e9));
        assert_eq!(value("12Ki"), Some(12_288.0));
        assert_eq!(value("1e3"), Some(1000.0));
        assert_eq!(value(""), None);
        assert_eq!(value("lots"), None);
        // metrics-server reports CPU in nanocores; it compares by value like any other form.
        assert!(same("25000000n", "25m"));
    }

    #[test]
    fn formats_like_kubectl() {
        assert_eq!(cpu(0.25), "250m");
        assert_eq!(cpu(2.0), "2");
        assert_eq!(cpu(0.01), "10m");
        assert_eq!(memory(134_217_728.0), "128Mi");
        assert_eq!(memory(2.0 * 1_073_741_824.0), "2Gi");
        assert_eq!(memory(100_000_000.0), "96Mi");
    }
}
