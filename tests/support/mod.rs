//! Real servers for the integration tests: `redis-server`, a private PostgreSQL cluster and
//! WebSocket servers (`ws`) and hostile servers (`hostile`) on free loopback ports, each
//! stopped when its handle drops. Plus helpers to run the real
//! `aiwfe` binary and read its JSON report.

#![allow(dead_code)]

pub mod bigcluster;
pub mod hostile;
pub mod jwks;
pub mod kubeapi;
pub mod prometheus;
pub mod tty;
pub mod ws;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A loopback port that stays closed while this lives: a socket bound to it that never
/// listens, so connecting is refused and no other process can take the port meanwhile
/// (a port merely free a moment ago can be taken by then).
pub struct DeadPort {
    pub port: u16,
    _socket: tokio::net::TcpSocket,
}

pub fn dead_port() -> DeadPort {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.bind("127.0.0.1:0".parse().expect("addr")).expect("bind a loopback port");
    let port = socket.local_addr().expect("local addr").port();
    DeadPort { port, _socket: socket }
}

/// A port nothing listened on a moment ago, for servers that cannot bind port 0 and tell
/// which port they got (PostgreSQL, `redis-server`): their start retries with another
/// port when it was taken in between (`EADDRINUSE`).
fn unused_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind a free port")
        .local_addr()
        .expect("local addr")
        .port()
}

/// Runs a command that must succeed; its stdout.
pub fn ok(mut c: Command) -> String {
    let out = run(&mut c);
    assert!(out.status.success(), "{c:?} failed: {}{}", stdout(&out), stderr(&out));
    stdout(&out)
}

/// Runs a command that must fail; its stderr.
pub fn fails(mut c: Command) -> String {
    let out = run(&mut c);
    assert!(!out.status.success(), "{c:?} should fail: {}", stdout(&out));
    stderr(&out)
}

/// Polls `f` until it returns true or `limit` passes; panics with `what` on timeout.
pub fn wait_until(what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "timed out after {limit:?} waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------- Redis

/// A `redis-server` child on a free port, killed on drop.
pub struct RedisServer {
    pub port: u16,
    /// Its TLS port, when the arguments asked for one with [`RedisServer::TLS_PORT`].
    pub tls_port: Option<u16>,
    child: Child,
    _dir: tempfile::TempDir,
}

impl RedisServer {
    /// An argument that stands for a free port of its own, e.g. `["--tls-port", TLS_PORT]`.
    pub const TLS_PORT: &str = "{tls_port}";

    /// Starts `redis-server` with extra config arguments, e.g. `["--requirepass", "pw"]`.
    /// `redis-server --port 0` does not listen on TCP at all, so it gets a port that was
    /// free a moment ago and starts again on another when that was taken meanwhile.
    pub fn start(args: &[&str]) -> RedisServer {
        let dir = tempfile::tempdir().expect("temp dir");
        for _ in 0..5 {
            let port = unused_port();
            let tls_port = args.contains(&Self::TLS_PORT).then(unused_port);
            let tls = tls_port.map(|p| p.to_string()).unwrap_or_default();
            let args: Vec<&str> = args.iter().map(|a| if *a == Self::TLS_PORT { tls.as_str() } else { a }).collect();
            let mut cmd = Command::new("redis-server");
            cmd.args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ])
            .args(["--dir", dir.path().to_str().expect("utf-8 temp path"), "--loglevel", "warning"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
            let mut child = cmd
                .spawn()
                .expect("redis-server is not installed: run `bash .ci/run` or `apt-get install redis-server`");
            let start = Instant::now();
            while start.elapsed() < Duration::from_secs(10) {
                if let Some(status) = child.try_wait().expect("wait redis-server") {
                    let mut err = String::new();
                    child.stderr.take().map(|mut e| e.read_to_string(&mut err));
                    if err.contains("Address already in use") {
                        break;
                    }
                    panic!("redis-server exited with {status}: {err}");
                }
                if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                    return RedisServer {
                        port,
                        tls_port,
                        child,
                        _dir: dir,
                    };
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("could not start redis-server on a free port");
    }

    pub fn url(&self, userinfo: &str) -> String {
        if userinfo.is_empty() {
            format!("redis://127.0.0.1:{}", self.port)
        } else {
            format!("redis://{userinfo}@127.0.0.1:{}", self.port)
        }
    }

    /// Opens a raw client connection (optionally authenticated) that the server accepted,
    /// and keeps it open.
    pub fn hold_connection(&self, password: Option<&str>) -> TcpStream {
        let start = Instant::now();
        loop {
            let mut s = TcpStream::connect(("127.0.0.1", self.port)).expect("connect to redis");
            s.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
            match password {
                Some(pw) => write!(s, "AUTH {pw}\r\n").expect("write"),
                None => write!(s, "PING\r\n").expect("write"),
            }
            let mut line = String::new();
            BufReader::new(s.try_clone().expect("clone"))
                .read_line(&mut line)
                .expect("read reply");
            if line.starts_with("+PONG") || line.starts_with("+OK") {
                return s;
            }
            // Refused (e.g. `maxclients` still counts a connection that just closed): retry.
            assert!(start.elapsed() < Duration::from_secs(5), "redis refused a held connection: {line}");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------- PostgreSQL

/// Where PostgreSQL's server binaries are: `$AIWFE_PG_BINDIR`, else the newest
/// `/usr/lib/postgresql/*/bin`.
pub fn pg_bindir() -> PathBuf {
    if let Ok(d) = std::env::var("AIWFE_PG_BINDIR") {
        return PathBuf::from(d);
    }
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL server binaries not found under /usr/lib/postgresql: run `bash .ci/run` or `apt-get install postgresql`")
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("bin"))
        .filter(|p| p.join("initdb").exists())
        .collect();
    dirs.sort_by_key(|p| {
        p.parent()
            .and_then(|v| v.file_name())
            .and_then(|v| v.to_str())
            .and_then(|v| v.parse::<u32>().ok())
            .unwrap_or(0)
    });
    dirs.pop().expect("no initdb under /usr/lib/postgresql/*/bin")
}

fn is_root() -> bool {
    // SAFETY-free check: `id -u` prints 0 for root.
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL server binary, as the `postgres` user when we are root (PostgreSQL
/// refuses to run as root).
fn pg_command(bin: &str) -> Command {
    let path = pg_bindir().join(bin);
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(path);
        c
    } else {
        Command::new(path)
    }
}

pub const PG_SUPERUSER_PASSWORD: &str = "Sup3r-Pg-Secret";

/// A private PostgreSQL cluster (initdb into a temp dir) on a free port; stopped and
/// removed on drop, and by a watchdog if the test process dies.
pub struct PgCluster {
    pub port: u16,
    pub dir: PathBuf,
    _tmp: tempfile::TempDir,
}

impl PgCluster {
    pub fn start() -> PgCluster {
        PgCluster::start_with(&[])
    }

    /// `settings` are extra `-c name=value` server settings.
    pub fn start_with(settings: &[&str]) -> PgCluster {
        let tmp = tempfile::Builder::new().prefix("aiwfe-pg-").tempdir().expect("temp dir");
        let dir = tmp.path().to_path_buf();
        if is_root() {
            let ok = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir)
                .status()
                .expect("chown");
            assert!(ok.success(), "chown of the cluster dir to `postgres` failed");
        }
        let pwfile = dir.join("pw");
        std::fs::write(&pwfile, PG_SUPERUSER_PASSWORD).expect("write pwfile");
        if is_root() {
            Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&pwfile)
                .status()
                .expect("chown");
        }
        let data = dir.join("data");
        let out = pg_command("initdb")
            .args(["-D"])
            .arg(&data)
            .args([
                "-U",
                "postgres",
                "--auth-host=scram-sha-256",
                "--auth-local=trust",
                "-N",
                "-E",
                "UTF8",
                "--locale=C",
            ])
            .arg(format!("--pwfile={}", pwfile.display()))
            .output()
            .expect("run initdb");
        assert!(out.status.success(), "initdb failed: {}", String::from_utf8_lossy(&out.stderr));

        for _ in 0..5 {
            let port = unused_port();
            let mut opts = format!("-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off", dir.display());
            for s in settings {
                opts.push_str(&format!(" -c {s}"));
            }
            let out = pg_command("pg_ctl")
                .arg("-D")
                .arg(&data)
                .args(["-o", &opts, "-l"])
                .arg(dir.join("log"))
                .args(["-w", "-t", "60", "start"])
                .output()
                .expect("run pg_ctl");
            if out.status.success() {
                spawn_watchdog(&data, &dir);
                return PgCluster { port, dir, _tmp: tmp };
            }
            let log = std::fs::read_to_string(dir.join("log")).unwrap_or_default();
            if !log.contains("already in use") {
                panic!("pg_ctl start failed: {}\n{log}", String::from_utf8_lossy(&out.stderr));
            }
        }
        panic!("could not start PostgreSQL on a free port");
    }

    pub fn url(&self, user: &str, password: &str, db: &str) -> String {
        format!("postgres://{user}:{password}@127.0.0.1:{}/{db}", self.port)
    }

    pub fn superuser_url(&self) -> String {
        self.url("postgres", PG_SUPERUSER_PASSWORD, "postgres")
    }

    /// Runs `sql` with psql as the superuser: its stdout, or its stderr when it failed
    /// (e.g. no connection slot was left).
    pub fn try_psql(&self, sql: &str) -> Result<String, String> {
        let out = self.psql_cmd().args(["-c", sql]).output().expect("run psql");
        if out.status.success() {
            Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    }

    fn psql_cmd(&self) -> Command {
        let mut c = Command::new("psql");
        c.args([
            "-X",
            "-q",
            "-v",
            "ON_ERROR_STOP=1",
            "-At",
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            "-d",
            "postgres",
        ])
        .env("PGPASSWORD", PG_SUPERUSER_PASSWORD)
        .env("PGCONNECT_TIMEOUT", "10");
        c
    }

    /// Runs SQL with psql as the superuser and returns its unaligned output.
    pub fn psql(&self, sql: &str) -> String {
        let out = self.psql_cmd().args(["-c", sql]).output().expect("run psql");
        assert!(
            out.status.success(),
            "psql failed on `{sql}`: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// A psql session that stays open, fed `sql` and then left waiting on stdin. Its
    /// `application_name` is `label`, so tests can wait for it in pg_stat_activity.
    pub fn hold_session(&self, label: &str, user: Option<(&str, &str)>, sql: &str) -> Session {
        let mut c = Command::new("psql");
        let (u, pw) = user.unwrap_or(("postgres", PG_SUPERUSER_PASSWORD));
        c.args([
            "-X",
            "-q",
            "-At",
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            u,
            "-d",
            "postgres",
        ])
        .env("PGPASSWORD", pw)
        .env("PGAPPNAME", label)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null());
        let mut child = c.spawn().expect("spawn psql");
        let mut stdin = child.stdin.take().expect("stdin");
        writeln!(stdin, "{sql}").expect("write sql");
        stdin.flush().expect("flush");
        Session { child, _stdin: stdin }
    }

    /// Adds a pg_hba.conf line (first match wins, so it goes on top) and reloads.
    pub fn prepend_hba(&self, line: &str) {
        let path = self.dir.join("data").join("pg_hba.conf");
        let old = std::fs::read_to_string(&path).expect("read pg_hba.conf");
        std::fs::write(&path, format!("{line}\n{old}")).expect("write pg_hba.conf");
        self.psql("SELECT pg_reload_conf()");
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.join("data")
    }
}

/// Stops the cluster and removes its directory when this test process is gone, even if
/// it was killed before `Drop` could run.
fn spawn_watchdog(data: &Path, dir: &Path) {
    let pg_ctl = pg_bindir().join("pg_ctl");
    let stop = if is_root() {
        format!(
            "runuser -u postgres -- {} -D {} -m immediate stop",
            pg_ctl.display(),
            data.display()
        )
    } else {
        format!("{} -D {} -m immediate stop", pg_ctl.display(), data.display())
    };
    let script = format!(
        "while kill -0 {pid} 2>/dev/null && [ -d {dir} ]; do sleep 1; done; [ -f {data}/postmaster.pid ] && {stop} >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        dir = dir.display(),
        data = data.display(),
    );
    let _ = Command::new("sh")
        .args(["-c", &script])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = pg_command("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

/// An open psql session; ends when dropped.
pub struct Session {
    child: Child,
    _stdin: std::process::ChildStdin,
}

impl Session {
    /// The session's psql has exited (it could not connect, or was refused a slot).
    pub fn ended(&mut self) -> bool {
        self.child.try_wait().ok().flatten().is_some()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------- the binary

pub fn aiwfe() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_aiwfe"));
    clean_env(&mut c);
    c
}

/// A clean environment for `c`: nothing aiwfe reads comes from the developer's shell or the
/// pod the tests run in (the kube client's variables, AIWFE_*, libpq's PG*, REDISCLI_AUTH,
/// the XDG directories, logging); a test sets what it needs. HOME and the working directory
/// are an empty directory of this test process's own, so a stray /tmp/aiwfe.yaml or
/// ~/.kube/config changes nothing.
pub fn clean_env(c: &mut Command) {
    for (var, _) in std::env::vars_os() {
        let name = var.to_string_lossy();
        if name.starts_with("AIWFE_")
            || name.starts_with("PG")
            || name.starts_with("KUBE")
            || name.starts_with("XDG_")
            || ["REDISCLI_AUTH", "RUST_LOG", "NO_COLOR", "SSL_CERT_FILE", "SSL_CERT_DIR"].contains(&name.as_ref())
        {
            c.env_remove(&var);
        }
    }
    let home = private_home();
    c.env("HOME", home);
    c.current_dir(home);
}

/// An empty directory made once per test process (and removed with the machine's /tmp).
pub fn private_home() -> &'static Path {
    static HOME: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    HOME.get_or_init(|| {
        tempfile::Builder::new()
            .prefix("aiwfe-test-home.")
            .tempdir()
            .expect("temp dir")
            .keep()
    })
}

/// Runs a command to completion and returns its output.
pub fn run(cmd: &mut Command) -> Output {
    cmd.stdin(Stdio::null()).output().expect("run aiwfe")
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Parses `-o json` output, with the whole output in the panic message when it is not JSON.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr: {}", stdout(o), stderr(o)))
}

/// All findings of a JSON report, flattened.
pub fn findings(report: &serde_json::Value) -> Vec<serde_json::Value> {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|c| c["findings"].as_array().cloned().unwrap_or_default())
        .collect()
}

pub fn finding(report: &serde_json::Value, code: &str) -> serde_json::Value {
    findings(report).into_iter().find(|f| f["code"] == code).unwrap_or_else(|| {
        panic!(
            "no finding `{code}` in report:\n{}",
            serde_json::to_string_pretty(report).unwrap_or_default()
        )
    })
}

/// A measurement's numeric value from the check `check`.
pub fn measurement(report: &serde_json::Value, check: &str, name: &str) -> f64 {
    report["checks"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|c| c["id"] == check)
        .flat_map(|c| c["measurements"].as_array().cloned().unwrap_or_default())
        .find(|m| m["name"] == name)
        .and_then(|m| m["value"].as_f64())
        .unwrap_or_else(|| {
            panic!(
                "no measurement `{name}` in `{check}`:\n{}",
                serde_json::to_string_pretty(report).unwrap_or_default()
            )
        })
}

/// A TCP listener that accepts connections and never answers: a hung server.
pub struct Blackhole {
    pub port: u16,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl Blackhole {
    pub fn start() -> Blackhole {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = stop.clone();
        listener.set_nonblocking(true).expect("nonblocking");
        std::thread::spawn(move || {
            let mut held = Vec::new();
            while !flag.load(std::sync::atomic::Ordering::Relaxed) {
                if let Ok((s, _)) = listener.accept() {
                    held.push(s);
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        });
        Blackhole { port, stop }
    }
}

impl Drop for Blackhole {
    fn drop(&mut self) {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
    }
}

/// A throwaway CA and a server certificate for `localhost`/127.0.0.1 it signed, made with
/// the `openssl` command.
pub struct TestPki {
    pub dir: tempfile::TempDir,
}

impl TestPki {
    pub fn new() -> TestPki {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        let sh = format!(
            "set -e; cd {d}; \
             openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=aiwfe-test-ca -keyout ca.key -out ca.pem; \
             openssl req -newkey rsa:2048 -nodes -subj /CN=localhost -keyout server.key -out server.csr; \
             printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > ext.cnf; \
             openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile ext.cnf -out server.pem; \
             chmod 644 server.key",
            d = d.display()
        );
        let out = Command::new("sh").args(["-c", &sh]).output().expect("run openssl");
        assert!(out.status.success(), "openssl failed: {}", String::from_utf8_lossy(&out.stderr));
        TestPki { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
}
