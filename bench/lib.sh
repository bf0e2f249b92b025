# Shared by the bench scripts (sourced): messages, statistics, the test images and the probes.
# Expects ROOT (the repository) and WORK (a scratch directory the caller removes).

HTTPD_IMAGE=localhost/pwbench-httpd:1
NGINX_IMAGE=localhost/pwbench-nginx:1
HTTPD_CMD=(/bin/busybox httpd -f -p 8080 -h /www)

say() { printf 'bench: %s\n' "$*" >&2; }
die() { printf 'bench: error: %s\n' "$*" >&2; exit 2; }

# need_tools TOOL...: each on PATH (or an executable path); when one is missing, scripts/setup-dev
# (the tests' and the bench's tools: wrk, socat, nginx, docker-registry, gcc, ...) runs once first.
# podman and podwake itself are scripts/setup's.
need_tools() {
  local tool missing=()
  for tool in "$@"; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "missing ${missing[*]}: running scripts/setup-dev"
  "$ROOT/scripts/setup-dev" >&2 || die "scripts/setup-dev failed"
  for tool in "${missing[@]}"; do
    command -v "$tool" >/dev/null || die "$tool is missing: run scripts/setup (podman, podwake) and scripts/setup-dev (the bench's tools)"
  done
}

stats() { # FILE [DECIMALS]: its numbers -> "median min max" (default 1 decimal), or "n/a n/a n/a"
  [ -s "$1" ] || { echo "n/a n/a n/a"; return; }
  sort -g "$1" | awk -v d="${2:-1}" '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    f = "%." d "f"; printf f " " f " " f "\n", m, v[1], v[NR] }'
}
ratio() { # A B -> A/B with 2 decimals, or n/a
  awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'
}

# --- podwake serve in the background (bench/run, bench/run-update) -------------------------------
# SIGTERM, not SIGINT: a background job of a non-interactive shell starts with SIGINT ignored
# (POSIX), and a program that keeps an inherited SIG_IGN would never see it.
stop_podwake() { # PID (a group leader, setsid): SIGTERM (podwake removes its containers), then the whole group if needed
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 200; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$pid" 2>/dev/null; then
    say "podwake serve ($pid) did not stop within 20 s of SIGTERM: killing it"
    kill -KILL -- "-$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
  kill -TERM -- "-$pid" 2>/dev/null || true     # a child it left (podman system service)
}
wait_listening() { # PORT PID [udp]: until something listens on 127.0.0.1:PORT (without connecting to it)
  local i flags=-Hltn
  [ "${3:-}" = udp ] && flags=-Hlun
  for ((i = 0; i < 200; i++)); do
    [ -n "$(ss "$flags" "src 127.0.0.1:$1")" ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.05
  done
  return 1
}

# build_probes: compiles bench/ttfb.c into $TTFB.
build_probes() {
  TTFB=$WORK/ttfb
  gcc -O2 -Wall -Wextra -Werror -o "$TTFB" "$ROOT/bench/ttfb.c"
}

# build_httpd_image [PODMAN...]: only the busybox httpd image (HTTPD_IMAGE).
build_httpd_image() {
  local -a pm=("${@:-podman}")
  mkdir -p "$WORK/httpd/www"
  cp /bin/busybox "$WORK/httpd/busybox"
  echo "hello from the podwake bench" > "$WORK/httpd/www/index.html"
  printf 'FROM scratch\nCOPY busybox /bin/busybox\nCOPY www /www\nEXPOSE 8080\nCMD ["/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www"]\n' \
    > "$WORK/httpd/Containerfile"
  "${pm[@]}" build -q -t "$HTTPD_IMAGE" "$WORK/httpd" >/dev/null
}

# build_images [PODMAN...]: the busybox httpd image and nginx (Debian's nginx-light on an empty
# base) into the store of the podman command given (default: root's podman).
build_images() {
  local -a pm=("${@:-podman}")
  build_httpd_image "${pm[@]}"

  # keepalive_requests is raised so wrk measures forwarding, not reconnects.
  local R=$WORK/nginx/rootfs lib
  mkdir -p "$R"/{usr/sbin,etc/nginx,var/log/nginx,var/lib/nginx,run,tmp,www}
  chmod 1777 "$R/tmp"
  cp /usr/sbin/nginx "$R/usr/sbin/"
  for lib in $(ldd /usr/sbin/nginx | grep -o '/[^ ]*'); do cp --parents -L "$lib" "$R"; done
  printf 'root:x:0:0:root:/root:/bin/false\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$R/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$R/etc/group"
  echo "hello from nginx" > "$R/www/index.html"
  cat > "$R/etc/nginx/nginx.conf" <<'NGINX'
daemon off;
user nobody nogroup;
worker_processes 1;
error_log stderr warn;
pid /tmp/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 8080; root /www; }
}
NGINX
  printf 'FROM scratch\nCOPY rootfs/ /\nEXPOSE 8080\nCMD ["/usr/sbin/nginx", "-c", "/etc/nginx/nginx.conf"]\n' \
    > "$WORK/nginx/Containerfile"
  "${pm[@]}" build -q -t "$NGINX_IMAGE" "$WORK/nginx" >/dev/null
}

# run_wrk NAME URL SECONDS [PREFIX...] -> "req/s p99_ms errors"; wrk's output kept in $WORK.
# WRK_ARGS must be set by the caller.
run_wrk() {
  local name=$1 url=$2 seconds=$3; shift 3
  local out=$WORK/wrk-$name.txt
  "$@" wrk "${WRK_ARGS[@]}" -d "${seconds}s" "$url" > "$out" 2>&1 || { echo "n/a n/a wrk-failed"; return; }
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx|Socket errors/ { sub(/^ */, ""); gsub(/ /, "_"); err = err $0 }
    END { printf "%.0f %.3f %s\n", rps, p99, (err ? err : "-") }' "$out"
}
