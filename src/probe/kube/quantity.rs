//! Kubernetes resource quantities (`100m`, `1.5`, `250000n`, `128Mi`, `1G`, `1e3`) as
//! numbers: CPU in cores, memory in bytes; and back to the short forms kubectl shows.

/// Parses a quantity string into a plain number (cores for CPU, bytes for memory).
pub fn parse(q: &str) -> Option<f64> {
    let q = q.trim();
    if q.is_empty() {
        return None;
    }
    const SUFFIXES: &[(&str, f64)] = &[
        ("Ki", 1024.0),
        ("Mi", 1024.0 * 1024.0),
        ("Gi", 1024.0 * 1024.0 * 1024.0),
        ("Ti", 1024f64 * 1024.0 * 1024.0 * 1024.0),
        ("Pi", 1024f64 * 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("Ei", 1024f64 * 1024.0 * 1024.0 * 1024.0 * 1024.0 * 1024.0),
        ("n", 1e-9),
        ("u", 1e-6),
        ("m", 1e-3),
        ("k", 1e3),
        ("M", 1e6),
        ("G", 1e9),
        ("T", 1e12),
        ("P", 1e15),
        ("E", 1e18),
    ];
    for (suffix, mult) in SUFFIXES {
        if let Some(num) = q.strip_suffix(suffix) {
            return num.parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| v * mult);
        }
    }
    q.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Cores as kubectl would write them: `250m`, `2`.
pub fn cpu(cores: f64) -> String {
    let milli = (cores * 1000.0).round() as i64;
    if milli % 1000 == 0 && milli > 0 {
        format!("{}", milli / 1000)
    } else {
        format!("{milli}m")
    }
}

/// Bytes as a binary quantity: `128Mi`, `2Gi`.
pub fn memory(bytes: f64) -> String {
    let mi = bytes / (1024.0 * 1024.0);
    if mi >= 1024.0 && (mi / 1024.0).fract() == 0.0 {
        format!("{}Gi", (mi / 1024.0) as i64)
    } else {
        format!("{}Mi", mi.ceil() as i64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_forms_the_api_server_returns() {
        assert_eq!(parse("100m"), Some(0.1));
        assert_eq!(parse("2"), Some(2.0));
        assert_eq!(parse("1.5"), Some(1.5));
        assert!((parse("250000n").unwrap() - 0.00025).abs() < 1e-12);
        assert_eq!(parse("128Mi"), Some(134_217_728.0));
        assert_eq!(parse("1Gi"), Some(1_073_741_824.0));
        assert_eq!(parse("1G"), Some(1e9));
        assert_eq!(parse("12Ki"), Some(12_288.0));
        assert_eq!(parse("1e3"), Some(1000.0));
        assert_eq!(parse(""), None);
        assert_eq!(parse("lots"), None);
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
