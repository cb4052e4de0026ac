
use builtin;
use str;

set edit:completion:arg-completer[aiwfe] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'aiwfe'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'aiwfe'= {
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand doctor 'Run every probe in parallel and report what is wrong and how to fix it'
            cand probe 'Run one probe'
            cand completions 'Print a shell completion script, or write all of them with --dir'
            cand snapshot 'Save what doctor reads from the cluster (secret values removed) to replay with --snapshot'
            cand rbac 'Print the least-privilege RBAC objects a mode needs'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;doctor'= {
            cand --redis 'Redis to check, e.g. redis://:PASSWORD@redis:6379/0'
            cand --postgres 'PostgreSQL to check, e.g. postgres://USER:PASSWORD@db/aiwfe'
            cand --only 'Run only these probes (comma-separated: redis,postgres,kube)'
            cand --skip 'Skip these probes (comma-separated)'
            cand --snapshot 'Read Kubernetes objects from a file or folder (`kubectl get ... -o yaml`, `aiwfe snapshot`) instead of a cluster'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;probe'= {
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand redis 'Connect, authenticate, measure PING latency and client load'
            cand postgres 'Connect, authenticate, summarise pg_stat_activity and connection headroom'
            cand kube 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;probe;redis'= {
            cand --pings 'Number of PINGs for the latency figures'
            cand --cacert 'Trust the CA(s) in this PEM file for rediss:// instead of the system''s'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;probe;postgres'= {
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;probe;kube'= {
            cand --snapshot 'Read Kubernetes objects from a file or folder instead of a cluster'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;probe;help'= {
            cand redis 'Connect, authenticate, measure PING latency and client load'
            cand postgres 'Connect, authenticate, summarise pg_stat_activity and connection headroom'
            cand kube 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;probe;help;redis'= {
        }
        &'aiwfe;probe;help;postgres'= {
        }
        &'aiwfe;probe;help;kube'= {
        }
        &'aiwfe;probe;help;help'= {
        }
        &'aiwfe;completions'= {
            cand --dir 'Write the scripts for every shell into DIR instead'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;snapshot'= {
            cand --to 'Write to FILE instead of stdout'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;rbac'= {
            cand --for 'The mode to grant'
            cand --service-account-namespace 'Namespace of the ServiceAccount bound to the role'
            cand --config 'Config file [default: ./aiwfe.yaml, then $XDG_CONFIG_HOME/aiwfe/aiwfe.yaml]'
            cand -o 'Output format on stdout'
            cand --output 'Output format on stdout'
            cand --report 'Also write a machine report to FILE (format from the extension: .json .yaml .xml .sarif .md)'
            cand --fail-on 'Exit 1 when a finding is at or above this severity [default: error]'
            cand --ignore 'Leave out findings with this code (repeatable; `redis.*` matches a prefix)'
            cand --timeout 'Deadline for each probe, e.g. 10s, 500ms, 1m [default: 10s]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG, then ~/.kube/config, then in-cluster]'
            cand --context 'Kubeconfig context to use'
            cand -n 'Kubernetes namespace [default: the context''s]'
            cand --namespace 'Kubernetes namespace [default: the context''s]'
            cand --no-color 'No colours (also when NO_COLOR is set)'
            cand -q 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand --quiet 'Print nothing on stdout; only the exit code (and --report) tell the result'
            cand -v 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand --verbose 'Log what aiwfe does on stderr (-v info, -vv debug, -vvv trace; RUST_LOG works too)'
            cand -A 'Every namespace'
            cand --all-namespaces 'Every namespace'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'aiwfe;help'= {
            cand doctor 'Run every probe in parallel and report what is wrong and how to fix it'
            cand probe 'Run one probe'
            cand completions 'Print a shell completion script, or write all of them with --dir'
            cand snapshot 'Save what doctor reads from the cluster (secret values removed) to replay with --snapshot'
            cand rbac 'Print the least-privilege RBAC objects a mode needs'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'aiwfe;help;doctor'= {
        }
        &'aiwfe;help;probe'= {
            cand redis 'Connect, authenticate, measure PING latency and client load'
            cand postgres 'Connect, authenticate, summarise pg_stat_activity and connection headroom'
            cand kube 'Crash loops, unschedulable pods, wasted resources, HPAs (live or from a snapshot)'
        }
        &'aiwfe;help;probe;redis'= {
        }
        &'aiwfe;help;probe;postgres'= {
        }
        &'aiwfe;help;probe;kube'= {
        }
        &'aiwfe;help;completions'= {
        }
        &'aiwfe;help;snapshot'= {
        }
        &'aiwfe;help;rbac'= {
        }
        &'aiwfe;help;help'= {
        }
    ]
    $completions[$command]
}
