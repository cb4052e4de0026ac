//! A real Prometheus (Debian's `prometheus` package) over backfilled cAdvisor series:
//! the series are written as OpenMetrics, turned into TSDB blocks by
//! `promtool tsdb create-blocks-from openmetrics`, and served by `prometheus` on a free
//! loopback port, stopped on drop.

use std::fmt::Write as _;
use std::io::Read;
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// One container of one pod, sampled every `scrape_s` seconds from `start` (unix seconds):
/// its CPU rate (cores) and working set (bytes) at each scrape.
pub struct ContainerSeries {
    pub namespace: String,
    pub pod: String,
    pub container: String,
    pub node: String,
    pub image: String,
    pub start: i64,
    pub scrape_s: i64,
    /// (cores, bytes) per scrape.
    pub points: Vec<(f64, f64)>,
}

impl ContainerSeries {
    /// The unix time of each point.
    pub fn times(&self) -> impl Iterator<Item = i64> + '_ {
        (0..self.points.len() as i64).map(|i| self.start + i * self.scrape_s)
    }
}

/// The series as a kubelet's /metrics/cadvisor scraped by kube-prometheus-stack labels
/// them, plus each pod's own cgroup (container="") that a query must leave out, in
/// OpenMetrics text.
pub fn openmetrics(series: &[ContainerSeries]) -> String {
    let labels = |s: &ContainerSeries, container: &str, i: usize| {
        let id = format!("{:064x}", (i as u128 + 1) * 0x9e37_79b9_7f4a_7c15_u128);
        format!(
            "container=\"{container}\",cpu=\"total\",endpoint=\"https-metrics\",id=\"/kubepods.slice/kubepods-burstable.slice/cri-containerd-{id}.scope\",image=\"{}\",instance=\"{}:10250\",job=\"kubelet\",metrics_path=\"/metrics/cadvisor\",name=\"{id}\",namespace=\"{}\",node=\"{}\",pod=\"{}\",service=\"kube-prometheus-stack-kubelet\"",
            if container.is_empty() { "" } else { s.image.as_str() },
            s.node,
            s.namespace,
            s.node,
            s.pod
        )
    };
    let mut out = String::new();
    out.push_str("# HELP container_cpu_usage_seconds_total Cumulative cpu time consumed in seconds.\n");
    out.push_str("# TYPE container_cpu_usage_seconds_total counter\n");
    for (i, s) in series.iter().enumerate() {
        for (container, scale) in [(s.container.as_str(), 1.0), ("", 1.7)] {
            let l = labels(s, container, i * 2 + usize::from(container.is_empty()));
            let mut total = 1234.5;
            for (t, (cpu, _)) in s.times().zip(&s.points) {
                let _ = writeln!(out, "container_cpu_usage_seconds_total{{{l}}} {total:.6} {t}");
                total += cpu * scale * s.scrape_s as f64;
            }
        }
    }
    out.push_str("# HELP container_memory_working_set_bytes Current working set in bytes.\n");
    out.push_str("# TYPE container_memory_working_set_bytes gauge\n");
    for (i, s) in series.iter().enumerate() {
        for (container, scale) in [(s.container.as_str(), 1.0), ("", 1.7)] {
            let l = labels(s, container, i * 2 + usize::from(container.is_empty()));
            for (t, (_, mem)) in s.times().zip(&s.points) {
                let _ = writeln!(out, "container_memory_working_set_bytes{{{l}}} {} {t}", (mem * scale).round());
            }
        }
    }
    out.push_str("# EOF\n");
    out
}

/// `prometheus` serving the blocks made from some series.
pub struct Prometheus {
    pub port: u16,
    /// `http://127.0.0.1:PORT` or, with TLS, `https://localhost:PORT`.
    pub url: String,
    child: Child,
    _dir: tempfile::TempDir,
}

impl Prometheus {
    pub fn start(series: &[ContainerSeries]) -> Prometheus {
        Prometheus::start_with(series, None)
    }

    /// With `web_config` (Prometheus's `--web.config.file` YAML: TLS, basic auth) when given.
    pub fn start_with(series: &[ContainerSeries], web_config: Option<&str>) -> Prometheus {
        let dir = tempfile::tempdir().expect("temp dir");
        let om = dir.path().join("series.om");
        std::fs::write(&om, openmetrics(series)).expect("write OpenMetrics");
        let data = dir.path().join("data");
        let out = Command::new("promtool")
            .args(["tsdb", "create-blocks-from", "openmetrics"])
            .arg(&om)
            .arg(&data)
            .output()
            .expect("promtool is not installed: run scripts/test or `apt-get install prometheus`");
        assert!(out.status.success(), "promtool: {}", String::from_utf8_lossy(&out.stderr));
        let config = dir.path().join("prometheus.yml");
        std::fs::write(&config, "global:\n  scrape_interval: 1h\nscrape_configs: []\n").expect("write config");
        let web: Option<PathBuf> = web_config.map(|w| {
            let p = dir.path().join("web.yml");
            std::fs::write(&p, w).expect("write web config");
            p
        });
        let mut cmd = Command::new("prometheus");
        cmd.arg(format!("--config.file={}", config.display()))
            .arg(format!("--storage.tsdb.path={}", data.display()))
            // Port 0: it logs the port it bound (`msg="Listening on" address=127.0.0.1:N`).
            .arg("--web.listen-address=127.0.0.1:0")
            .arg("--storage.tsdb.retention.time=90d")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(w) = &web {
            cmd.arg(format!("--web.config.file={}", w.display()));
        }
        let mut child = cmd.spawn().expect("prometheus is not installed: run scripts/test");
        // It logs "Server is ready to receive web requests." once the TSDB is open.
        let log = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
        let stderr = child.stderr.take().expect("stderr");
        let sink = log.clone();
        let mut reader = Some(std::thread::spawn(move || {
            use std::io::BufRead;
            for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
                let mut l = sink.lock().unwrap_or_else(|e| e.into_inner());
                l.push_str(&line);
                l.push('\n');
            }
        }));
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(60) {
            let text = log.lock().unwrap_or_else(|e| e.into_inner()).clone();
            if let Some(status) = child.try_wait().expect("wait prometheus") {
                // Its last words: the reader ends with the pipe.
                reader.take().map(std::thread::JoinHandle::join);
                let text = log.lock().unwrap_or_else(|e| e.into_inner()).clone();
                panic!("prometheus exited with {status}: {text}");
            }
            if text.contains("Server is ready to receive web requests") {
                let port = text
                    .lines()
                    .filter(|l| l.contains("msg=\"Listening on\""))
                    .find_map(|l| l.rsplit("address=127.0.0.1:").next()?.trim().parse::<u16>().ok())
                    .unwrap_or_else(|| panic!("prometheus logged no `Listening on` address: {text}"));
                let url = if web_config.is_some_and(|w| w.contains("tls_server_config")) {
                    format!("https://localhost:{port}")
                } else {
                    format!("http://127.0.0.1:{port}")
                };
                return Prometheus {
                    port,
                    url,
                    child,
                    _dir: dir,
                };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!(
            "prometheus was not ready within 60s: {}",
            log.lock().unwrap_or_else(|e| e.into_inner())
        );
    }

    /// How many queries the engine has run so far (its own `prometheus_engine_query_duration_seconds_count`
    /// for the inner evaluation).
    pub fn queries_run(&self) -> f64 {
        let text = get(self.port, "/metrics");
        text.lines()
            .find(|l| l.starts_with("prometheus_engine_query_duration_seconds_count{slice=\"inner_eval\"}"))
            .and_then(|l| l.rsplit(' ').next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0.0)
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One plain GET, the whole answer as text (status line included).
fn get(port: u16, path: &str) -> String {
    use std::io::Write;
    let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) else {
        return String::new();
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(5)));
    let _ = write!(s, "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    out
}
