/* Client loop for bench/run-update: HTTP/1.0 GETs at a fixed rate across an image update.
 *
 *   reqloop HOST PORT RATE SECONDS NEWMARK
 *
 * Opens one connection per request, RATE requests per second for SECONDS (open loop: a request
 * that hangs does not hold back the next ones), each answered request checked: status 200 and a
 * body containing "pwbench-upd-v" (either version). A request is timed from connect() to the end
 * of the response; it fails when refused, reset or closed without an answer, unanswered within
 * 10 s, or answered with another status or body. SIGUSR1 sets the start mark (the bench sends it
 * just before the update command); without one, the mark is the loop's start.
 * Prints on stdout, one `key=value` a line:
 *   total ok failed refused reset timeout bad   counts
 *   p50 p99 max                                 request latency in ms, over every request
 *   gap                                         longest time in ms with no successful response
 *                                               (loop start and end included as bounds)
 *   new_first                                   ms from the mark to the first response whose body
 *                                               contains NEWMARK (n/a when none came)
 *   old_last                                    ms from the mark to the last other response (n/a)
 *   new old                                     responses of each kind
 * C rather than a script, as ttfb.c: no interpreter in the timed span.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_INFLIGHT 2048
#define RESPONSE_MAX 4096
static const char request[] = "GET / HTTP/1.0\r\nHost: bench\r\nConnection: close\r\n\r\n";
static const char any_version[] = "pwbench-upd-v";
static const double timeout_ms = 10000;

enum result { OK, REFUSED, RESET, TIMEOUT, BAD };

struct slot {
    int fd;              /* -1: free */
    int sent;
    double started;
    size_t len;
    char buf[RESPONSE_MAX];
};

static volatile sig_atomic_t marked;
static double mark_ms;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void on_mark(int sig)
{
    (void)sig;
    if (!marked) { mark_ms = now_ms(); marked = 1; }   /* clock_gettime is async-signal-safe */
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static struct slot slots[MAX_INFLIGHT];
static double *latencies;
static long total, counts[BAD + 1], new_count, old_count;
static double last_ok, gap, new_first = -1, old_last = -1;
static const char *new_mark;

/* Records a finished request and frees its slot. */
static void finish(struct slot *s, enum result r)
{
    double t = now_ms();
    latencies[total++] = t - s->started;
    if (r == OK) {
        s->buf[s->len] = 0;
        const char *body = strstr(s->buf, "\r\n\r\n");
        if (strncmp(s->buf, "HTTP/1.", 7) || s->len < 12 || strncmp(s->buf + 8, " 200", 4) ||
            !body || !strstr(body, any_version))
            r = BAD;
        else if (strstr(body, new_mark)) {
            new_count++;
            if (new_first < 0) new_first = t;
        } else {
            old_count++;
            old_last = t;
        }
    }
    if (r == OK) {
        if (t - last_ok > gap) gap = t - last_ok;
        last_ok = t;
    }
    counts[r]++;
    close(s->fd);
    s->fd = -1;
}

static void start_one(const struct sockaddr_in *addr)
{
    struct slot *s = NULL;
    for (int i = 0; i < MAX_INFLIGHT; i++) if (slots[i].fd < 0) { s = &slots[i]; break; }
    if (!s) { fprintf(stderr, "Failed to start a request: %d already in flight\n", MAX_INFLIGHT); exit(2); }
    s->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (s->fd < 0) { perror("Failed to create socket"); exit(2); }
    int one = 1;
    setsockopt(s->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    s->sent = 0;
    s->len = 0;
    s->started = now_ms();
    if (connect(s->fd, (const struct sockaddr *)addr, sizeof *addr) < 0 && errno != EINPROGRESS)
        finish(s, errno == ECONNREFUSED ? REFUSED : RESET);
}

/* Moves one request on after poll() said its socket is ready. */
static void step(struct slot *s)
{
    if (!s->sent) {
        int err = 0;
        socklen_t len = sizeof err;
        getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
        if (err) { finish(s, err == ECONNREFUSED ? REFUSED : RESET); return; }
        if (send(s->fd, request, sizeof request - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof request - 1)) {
            finish(s, RESET);
            return;
        }
        s->sent = 1;
        return;
    }
    for (;;) {
        char scratch[RESPONSE_MAX];
        size_t room = RESPONSE_MAX - 1 - s->len;
        ssize_t n = room ? recv(s->fd, s->buf + s->len, room, 0) : recv(s->fd, scratch, sizeof scratch, 0);
        if (n > 0) { if (room) s->len += (size_t)n; continue; }
        if (n == 0) { finish(s, s->len ? OK : RESET); return; }   /* closed with no answer: reset */
        if (errno == EAGAIN || errno == EINTR) return;
        finish(s, s->len ? BAD : RESET);
        return;
    }
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: reqloop HOST PORT RATE SECONDS NEWMARK\n");
        return 2;
    }
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
    if (inet_pton(AF_INET, argv[1], &addr.sin_addr) != 1) {
        fprintf(stderr, "Failed to parse IPv4 address %s\n", argv[1]);
        return 2;
    }
    double rate = atof(argv[3]), seconds = atof(argv[4]);
    if (rate <= 0 || seconds <= 0) { fprintf(stderr, "RATE and SECONDS must be positive\n"); return 2; }
    new_mark = argv[5];
    long planned = (long)(rate * seconds) + 1;
    latencies = calloc((size_t)planned, sizeof *latencies);
    if (!latencies) { perror("Failed to allocate"); return 2; }
    for (int i = 0; i < MAX_INFLIGHT; i++) slots[i].fd = -1;
    struct sigaction sa = { .sa_handler = on_mark };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL);

    double start = now_ms(), interval = 1000 / rate;
    long issued = 0;
    last_ok = start;
    struct pollfd pfds[MAX_INFLIGHT];
    int index[MAX_INFLIGHT];
    for (;;) {
        double now = now_ms();
        while (issued < planned && now >= start + issued * interval) { start_one(&addr); issued++; }
        int n = 0;
        double wake = issued < planned ? start + issued * interval : now + 1000;
        for (int i = 0; i < MAX_INFLIGHT; i++) {
            struct slot *s = &slots[i];
            if (s->fd < 0) continue;
            if (now - s->started >= timeout_ms) { finish(s, TIMEOUT); continue; }
            if (s->started + timeout_ms < wake) wake = s->started + timeout_ms;
            pfds[n] = (struct pollfd){ .fd = s->fd, .events = s->sent ? POLLIN : POLLOUT };
            index[n++] = i;
        }
        if (issued >= planned && n == 0) break;
        int wait = (int)(wake - now) + 1;
        if (poll(pfds, (nfds_t)n, wait < 0 ? 0 : wait) < 0 && errno != EINTR) { perror("Failed to poll"); return 2; }
        for (int k = 0; k < n; k++)
            if (pfds[k].revents) step(&slots[index[k]]);
    }
    double end = start + (planned - 1) * interval;   /* the last request's start: the loop's end */
    if (end - last_ok > gap) gap = end - last_ok;

    qsort(latencies, (size_t)total, sizeof *latencies, cmp_double);
    double base = marked ? mark_ms : start;
    long failed = total - counts[OK];
    printf("total=%ld\nok=%ld\nfailed=%ld\nrefused=%ld\nreset=%ld\ntimeout=%ld\nbad=%ld\n",
           total, counts[OK], failed, counts[REFUSED], counts[RESET], counts[TIMEOUT], counts[BAD]);
    printf("p50=%.1f\np99=%.1f\nmax=%.1f\ngap=%.1f\n", latencies[(total - 1) / 2],
           latencies[(long)((total - 1) * 0.99)], latencies[total - 1], gap);
    if (new_first >= 0) printf("new_first=%.1f\n", new_first - base); else printf("new_first=n/a\n");
    if (old_last >= 0) printf("old_last=%.1f\n", old_last - base); else printf("old_last=n/a\n");
    printf("new=%ld\nold=%ld\n", new_count, old_count);
    return 0;
}
