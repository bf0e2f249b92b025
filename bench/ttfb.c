/* Cold-start probes for bench/run; prints one duration in milliseconds (3 decimals) on stdout.
 *
 *   ttfb wake HOST PORT            connect + GET / -> first response byte (the socket is held by
 *                                  podwake; the container behind it is dormant)
 *   ttfb start HOST PORT CMD...    run CMD (e.g. podman start NAME), then poll GET / every 2 ms
 *                                  until a "HTTP/1.x 200" status line -> time since CMD began
 *
 * Both read the whole response and close, so no connection keeps the service awake.
 * A probe gives up after 30 s (exit 1). C rather than a script: no interpreter start-up or
 * scheduling jitter inside the timed span.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char request[] = "GET / HTTP/1.0\r\nHost: bench\r\nConnection: close\r\n\r\n";
static const double give_up_ms = 30000;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* One GET. Returns 1 when the status is 200, 0 for any other answer or a refused/reset
 * connection; *first_byte_ms gets the time the first response byte arrived. */
static int get_once(const struct sockaddr_in *addr, double *first_byte_ms)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) { perror("Failed to create socket"); exit(2); }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct timeval tv = { .tv_sec = 30 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    int ok = 0;
    char buf[4096];
    if (connect(fd, (const struct sockaddr *)addr, sizeof *addr) == 0 &&
        send(fd, request, sizeof request - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof request - 1)) {
        ssize_t n = recv(fd, buf, sizeof buf - 1, 0);
        if (n > 0) {
            *first_byte_ms = now_ms();
            buf[n] = 0;
            ok = strncmp(buf, "HTTP/1.", 7) == 0 && strncmp(buf + 8, " 200", 4) == 0;
            while (recv(fd, buf, sizeof buf, 0) > 0) { }   /* drain to EOF */
        }
    }
    close(fd);
    return ok;
}

int main(int argc, char **argv)
{
    if (argc < 4 || (strcmp(argv[1], "wake") && strcmp(argv[1], "start")) ||
        (!strcmp(argv[1], "start") && argc < 5)) {
        fprintf(stderr, "usage: ttfb wake HOST PORT | ttfb start HOST PORT CMD...\n");
        return 2;
    }
    struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[3])) };
    if (inet_pton(AF_INET, argv[2], &addr.sin_addr) != 1) {
        fprintf(stderr, "Failed to parse IPv4 address %s\n", argv[2]);
        return 2;
    }
    double t0 = now_ms(), t1 = 0;

    if (!strcmp(argv[1], "wake")) {
        if (!get_once(&addr, &t1)) { fprintf(stderr, "Failed to get a 200 from %s:%s\n", argv[2], argv[3]); return 1; }
        printf("%.3f\n", t1 - t0);
        return 0;
    }

    pid_t pid = fork();
    if (pid < 0) { perror("Failed to fork"); return 2; }
    if (pid == 0) {   /* CMD's own output (podman prints the name) must not mix with ours */
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, STDOUT_FILENO);
        execvp(argv[4], argv + 4);
        perror("Failed to exec");
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) { }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) { fprintf(stderr, "Failed: %s exited non-zero\n", argv[4]); return 1; }
    const struct timespec poll_interval = { .tv_nsec = 2 * 1000 * 1000 };
    while (!get_once(&addr, &t1)) {
        if (now_ms() - t0 > give_up_ms) { fprintf(stderr, "Failed to get a 200 within 30 s\n"); return 1; }
        nanosleep(&poll_interval, NULL);
    }
    printf("%.3f\n", t1 - t0);
    return 0;
}
